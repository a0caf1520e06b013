namespace TokenAuthority.Keys.Ring;

/// <summary>
/// Where a key ring lives: its records and its private keys, shared by every instance that uses it. Implement it to
/// keep the ring in a database; <see cref="SaveAsync"/> is only called while <see cref="LockAsync"/> is held.
/// </summary>
public interface IKeyRingStore
{
    /// <summary>A name for messages (a path, a table), never a secret.</summary>
    string Description { get; }

    /// <summary>The records of the ring; null when no ring exists yet.</summary>
    /// <exception cref="InvalidOperationException">The ring exists but cannot be read; the message names it and the remedy.</exception>
    Task<IReadOnlyList<KeyRingRecord>?> LoadRecordsAsync(CancellationToken cancellationToken);

    /// <summary>The private key of a record, owned by the caller.</summary>
    /// <exception cref="InvalidOperationException">The key is missing, unreadable, or not the recorded key; the message names it and the remedy.</exception>
    Task<TokenKey> LoadKeyAsync(KeyRingRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the ring's exclusive lock (released by disposing the result, and by the store when the holder dies), so
    /// two instances never rotate at once.
    /// </summary>
    /// <exception cref="TimeoutException">Another holder kept the lock for longer than the store waits.</exception>
    Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the ring: first each new key durably, then the records atomically (a crash leaves the old ring or the new
    /// one), then deletes the keys no record names.
    /// </summary>
    Task SaveAsync(IReadOnlyList<KeyRingRecord> records, IReadOnlyList<TokenKey> newKeys, CancellationToken cancellationToken);
}
