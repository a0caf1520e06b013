using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TokenAuthority.Verifying;

namespace TokenAuthority.Binding;

/// <summary>
/// The resolver cache on the verification path: remembers found objects for at most the TTL, forgets one the
/// moment the host invalidates it, and never remembers "not found", a failure or a timeout.
/// </summary>
/// <remarks>
/// The race of the caches design (rule 3): a lookup reads the object, a delete commits and its invalidation runs,
/// then the lookup stores what it read. Every invalidation bumps a generation (one of 1,024 stripes chosen by the
/// key's hash, or the epoch for <see cref="InvalidateAll"/>); a lookup takes both before it reads and its entry is
/// valid only while both are unchanged, so a store that lands after an invalidation is never served.
/// Misses of one key that arrive while its lookup runs share that lookup (so an entry that expires under load costs
/// one resolver call, not one per request), unless an invalidation came between: then they look up on their own. A
/// shared lookup is not cancelled by one caller going away; each caller stops waiting on its own token, and the
/// resolver's timeout bounds the lookup.
/// </remarks>
internal sealed class BoundObjectCache : IBoundObjectCacheInvalidator
{
    /// <summary>Name reported to <see cref="ITokenAuthorityCacheObserver"/>.</summary>
    public const string Name = "bound_object";

    private const int Stripes = 1024;

    private readonly ConcurrentDictionary<BoundObjectKey, BoundObjectCacheEntry> _entries = new();
    private readonly ConcurrentDictionary<BoundObjectKey, BoundObjectInFlightLookup> _inFlight = new();
    private readonly long[] _generations = new long[Stripes];
    private readonly BoundObjectLookup _lookup;
    private readonly TimeProvider _time;
    private readonly ITokenAuthorityCacheObserver? _observer;
    private readonly TimeSpan _ttl;
    private readonly int _maxEntries;
    private readonly bool _enabled;
    private readonly Lock _sweep = new();
    private long _epoch;
    private int _count;

    public BoundObjectCache(
        BoundObjectLookup lookup,
        IOptions<BoundObjectCacheOptions> options,
        TimeProvider timeProvider,
        ITokenAuthorityCacheObserver? observer = null,
        InMemoryBoundObjectResolver? store = null)
    {
        var o = options.Value;
        _lookup = lookup;
        _time = timeProvider;
        _observer = observer;
        _ttl = o.TimeToLive;
        _maxEntries = o.MaxEntries;
        _enabled = o.Enabled && o.TimeToLive > TimeSpan.Zero && o.MaxEntries > 0;

        // The in-memory store is the host's source of truth: its changes invalidate as a host's signal would.
        if (store is not null)
        {
            store.Changed += Invalidate;
        }
    }

    /// <summary>Entries held now (approximately, between sweeps).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Test seam: runs between the resolver's answer and the store (to interleave an invalidation there).</summary>
    internal Action<BoundObjectKey>? BeforeStore { get; set; }

    public ValueTask<BoundObjectLookupResult> LookupAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return _lookup.LookupAsync(key, cancellationToken);
        }

        if (_entries.TryGetValue(key, out var entry) && IsValid(key, entry))
        {
            _observer?.CacheLookup(Name, true);
            return ValueTask.FromResult(new BoundObjectLookupResult(entry.Object, false));
        }

        _observer?.CacheLookup(Name, false);
        return LookupAndStoreAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public void Invalidate(BoundObjectKey key)
    {
        // Bump first: a lookup that stores after this line stores an entry that is already invalid.
        Interlocked.Increment(ref _generations[Stripe(key)]);
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <inheritdoc />
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        foreach (var pair in _entries)
        {
            if (_entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private ValueTask<BoundObjectLookupResult> LookupAndStoreAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        var generation = Volatile.Read(ref _generations[Stripe(key)]);
        var epoch = Interlocked.Read(ref _epoch);

        // A lookup of this key under way since no invalidation: its answer is as fresh as one this call would get.
        if (_inFlight.TryGetValue(key, out var running) && running.Generation == generation && running.Epoch == epoch && !running.Result.IsCompleted)
        {
            return new ValueTask<BoundObjectLookupResult>(running.Result.WaitAsync(cancellationToken));
        }

        var startedAt = _time.GetTimestamp();
        var pending = _lookup.LookupAsync(key, CancellationToken.None);
        if (pending.IsCompletedSuccessfully)
        {
            // An in-memory resolver: nothing to share, nothing allocated.
            var result = pending.Result;
            StoreFound(key, result, startedAt, generation, epoch);
            return ValueTask.FromResult(result);
        }

        var completion = new TaskCompletionSource<BoundObjectLookupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = new BoundObjectInFlightLookup(generation, epoch, completion.Task);
        _inFlight[key] = shared; // before it can complete, so that its removal below cannot come first
        _ = CompleteAsync(key, pending, completion, shared, startedAt);
        return new ValueTask<BoundObjectLookupResult>(completion.Task.WaitAsync(cancellationToken));
    }

    private async Task CompleteAsync(
        BoundObjectKey key, ValueTask<BoundObjectLookupResult> pending, TaskCompletionSource<BoundObjectLookupResult> completion, BoundObjectInFlightLookup shared, long startedAt)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            StoreFound(key, result, startedAt, shared.Generation, shared.Epoch);
            completion.SetResult(result);
        }
#pragma warning disable CA1031 // The lookup turns resolver failures into answers; anything else reaches every waiter.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            completion.SetException(ex);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<BoundObjectKey, BoundObjectInFlightLookup>(key, shared));
        }
    }

    private void StoreFound(BoundObjectKey key, BoundObjectLookupResult result, long startedAt, long generation, long epoch)
    {
        if (result is { Failed: false, Object: { } found })
        {
            BeforeStore?.Invoke(key);
            Store(key, new BoundObjectCacheEntry(found, startedAt, generation, epoch));
        }
    }

    private bool IsValid(BoundObjectKey key, BoundObjectCacheEntry entry) =>
        entry.Generation == Volatile.Read(ref _generations[Stripe(key)])
        && entry.Epoch == Interlocked.Read(ref _epoch)
        && _time.GetElapsedTime(entry.StartedAt) < _ttl;

    private void Store(BoundObjectKey key, BoundObjectCacheEntry entry)
    {
        if (Volatile.Read(ref _count) >= _maxEntries)
        {
            Sweep();
            if (Volatile.Read(ref _count) >= _maxEntries)
            {
                return;
            }
        }

        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[key] = entry;
        }
    }

    // Full: drop what is no longer valid, then any entries until a quarter of the room is free; the count is
    // recounted here, so that races between adds and removes cannot let it drift.
    private void Sweep()
    {
        if (!_sweep.TryEnter())
        {
            return;
        }

        try
        {
            var target = _maxEntries - Math.Max(1, _maxEntries / 4);
            var kept = 0;
            foreach (var pair in _entries)
            {
                if (!IsValid(pair.Key, pair.Value) || kept >= target)
                {
                    _entries.TryRemove(pair);
                }
                else
                {
                    kept++;
                }
            }

            Volatile.Write(ref _count, kept);
        }
        finally
        {
            _sweep.Exit();
        }
    }

    private static int Stripe(BoundObjectKey key) => (int)((uint)key.GetHashCode() % Stripes);
}
