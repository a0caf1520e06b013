namespace TokenAuthority.Keys.Ring;

/// <summary>
/// What a key ring store keeps about one key besides its private part: when it was published and when it starts
/// signing. Every other time (retirement, removal) is computed from these, so every instance agrees.
/// </summary>
/// <param name="KeyId">The key id (<c>kid</c>).</param>
/// <param name="Algorithm">The key's algorithm (<c>RS256</c>, <c>ES256</c>, …).</param>
/// <param name="Published">When the key was first published in the JWKS.</param>
/// <param name="Activates">When the key starts signing (at least <see cref="KeyRingOptions.JwksMaxAge"/> after <paramref name="Published"/>, except the first key of a new ring).</param>
/// <param name="MaxTokenLifetimeSeconds">The longest lifetime of any token the key may sign: the retention after its retirement.</param>
public sealed record KeyRingRecord(string KeyId, string Algorithm, DateTimeOffset Published, DateTimeOffset Activates, long MaxTokenLifetimeSeconds);
