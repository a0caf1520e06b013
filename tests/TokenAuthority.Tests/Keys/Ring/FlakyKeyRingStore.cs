using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>An in-memory ring store whose reads or writes a test can make fail, as an unreachable database or a read-only disk would.</summary>
internal sealed class FlakyKeyRingStore(InMemoryKeyRingStore inner) : IKeyRingStore
{
    /// <summary>Loading the records throws.</summary>
    public bool FailReads { get; set; }

    /// <summary>Saving the ring throws.</summary>
    public bool FailWrites { get; set; }

    public string Description => "flaky";

    public Task<IReadOnlyList<KeyRingRecord>?> LoadRecordsAsync(CancellationToken cancellationToken) =>
        FailReads ? throw new IOException("the store cannot be reached") : inner.LoadRecordsAsync(cancellationToken);

    public Task<TokenKey> LoadKeyAsync(KeyRingRecord record, CancellationToken cancellationToken) => inner.LoadKeyAsync(record, cancellationToken);

    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

    public Task SaveAsync(IReadOnlyList<KeyRingRecord> records, IReadOnlyList<TokenKey> newKeys, CancellationToken cancellationToken) =>
        FailWrites ? throw new UnauthorizedAccessException("the store is read-only") : inner.SaveAsync(records, newKeys, cancellationToken);
}
