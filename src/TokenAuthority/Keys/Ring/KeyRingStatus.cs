namespace TokenAuthority.Keys.Ring;

/// <summary>A key ring's state for its health check.</summary>
/// <param name="Keys">The keys now, with their states.</param>
/// <param name="Now">The time the keys were computed for.</param>
/// <param name="LastRead">When the store was last read (and applied) with success; null before the first time.</param>
/// <param name="RefreshFailure">Why the last refresh failed (an exception type, never a secret); null when it succeeded.</param>
/// <param name="RefreshInterval">How often the store is re-read.</param>
/// <param name="PublishLead">How long a key must be published before it may sign.</param>
/// <param name="Store">The store's description.</param>
internal sealed record KeyRingStatus(
    IReadOnlyList<KeyRingKey> Keys,
    DateTimeOffset Now,
    DateTimeOffset? LastRead,
    string? RefreshFailure,
    TimeSpan RefreshInterval,
    TimeSpan PublishLead,
    string Store);
