namespace TokenAuthority.Keys.Ring;

/// <summary>
/// A key ring in memory, shared by every provider given the same instance (tests of several instances, and
/// simulations). Keys are kept as PEM, so each provider gets its own key objects, as it would from disk.
/// </summary>
internal sealed class InMemoryKeyRingStore : IKeyRingStore, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, string> _pems = new(StringComparer.Ordinal);
    private IReadOnlyList<KeyRingRecord>? _records;

    public string Description => "in-memory";

    /// <summary>How many times the ring was saved.</summary>
    public int Saves { get; private set; }

    /// <summary>The ids of the keys stored now.</summary>
    public IReadOnlyCollection<string> StoredKeyIds
    {
        get
        {
            lock (_pems)
            {
                return _pems.Keys.ToArray();
            }
        }
    }

    public Task<IReadOnlyList<KeyRingRecord>?> LoadRecordsAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _records));

    public Task<TokenKey> LoadKeyAsync(KeyRingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? pem;
        lock (_pems)
        {
            _pems.TryGetValue(record.KeyId, out pem);
        }

        return pem is null
            ? throw new InvalidOperationException($"the in-memory ring has no key {record.KeyId}")
            : Task.FromResult(TokenKey.ParsePem(pem)[0]);
    }

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_lock);
    }

    public Task SaveAsync(IReadOnlyList<KeyRingRecord> records, IReadOnlyList<TokenKey> newKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(newKeys);
        if (_lock.CurrentCount != 0)
        {
            throw new InvalidOperationException("SaveAsync was called without holding the lock");
        }

        lock (_pems)
        {
            foreach (var key in newKeys)
            {
                _pems[key.KeyId] = key.ExportPrivateKeyPem();
            }

            foreach (var kid in _pems.Keys.Where(k => !records.Any(r => r.KeyId == k)).ToArray())
            {
                _pems.Remove(kid);
            }
        }

        Volatile.Write(ref _records, records.ToArray());
        Saves++;
        return Task.CompletedTask;
    }

    public void Dispose() => _lock.Dispose();

    private sealed class Releaser(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
