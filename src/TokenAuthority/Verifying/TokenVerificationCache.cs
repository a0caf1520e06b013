using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Verifying;

/// <summary>
/// Remembers, per exact token, that its signature verified under a key and what its claims are. Keyed on the complete token string, so a hit compares the whole
/// token; bounded by entries and estimated bytes; an entry is dropped at the token's <c>exp</c> (plus the leeway)
/// and when its key is no longer in the current verification set. Failures are never added.
/// </summary>
/// <remarks>
/// No change notification is needed: a hit whose set is not the current instance re-checks its key's id in the
/// current set. When the key set provider offers a change token, <see cref="Clear"/> on it would only free memory
/// sooner; it would not change what is accepted.
/// </remarks>
internal sealed class TokenVerificationCache
{
    /// <summary>Name reported to <see cref="ITokenAuthorityCacheObserver"/>.</summary>
    public const string Name = "verification";

    // Per entry beyond the token and claims strings: the entry, the dictionary node, the claims record and its lists.
    private const long Overhead = 512;

    private readonly ConcurrentDictionary<string, TokenVerificationCacheEntry> _entries = new(TokenTailComparer.Instance);
    private readonly ITokenKeySetProvider _keys;
    private readonly TimeProvider _time;
    private readonly ITokenAuthorityCacheObserver? _observer;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly Lock _sweep = new();
    private int _count;
    private long _bytes;

    public TokenVerificationCache(IOptions<TokenVerificationCacheOptions> options, ITokenKeySetProvider keys, TimeProvider timeProvider, ITokenAuthorityCacheObserver? observer = null)
    {
        var o = options.Value;
        Enabled = o.Enabled && o.MaxEntries > 0 && o.MaxBytes > 0;
        _maxEntries = o.MaxEntries;
        _maxBytes = o.MaxBytes;
        _keys = keys;
        _time = timeProvider;
        _observer = observer;
    }

    public bool Enabled { get; }

    /// <summary>Entries held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Estimated bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// The entry for exactly <paramref name="token"/>, if its key is still in <paramref name="current"/> (the key set
    /// in force now, read once by the caller). An entry whose key has left the set is dropped.
    /// </summary>
    public bool TryGet(string token, TokenKeySet current, out TokenVerificationCacheEntry entry)
    {
        if (!_entries.TryGetValue(token, out entry!))
        {
            _observer?.CacheLookup(Name, false);
            return false;
        }

        // Rule 2: the same set instance means the same keys. Otherwise the key must still be in the new set (a
        // verification that began before a rotation may have added its entry after it).
        if (!ReferenceEquals(entry.KeySet, current))
        {
            if (!Contains(current.VerificationKeys, entry.KeyId))
            {
                Remove(entry);
                _observer?.CacheLookup(Name, false);
                return false;
            }

            entry.KeySet = current;
        }

        _observer?.CacheLookup(Name, true);
        return true;
    }

    /// <summary>Remembers a token whose signature verified under <paramref name="key"/> of <paramref name="keySet"/>.</summary>
    public void Add(string token, ServiceAccountTokenClaims claims, TokenKey key, TokenKeySet keySet)
    {
        var size = Overhead + (4L * token.Length);
        if (size > _maxBytes)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _maxEntries || Interlocked.Read(ref _bytes) + size > _maxBytes)
        {
            Sweep(size);
            if (Volatile.Read(ref _count) >= _maxEntries || Interlocked.Read(ref _bytes) + size > _maxBytes)
            {
                return;
            }
        }

        var entry = new TokenVerificationCacheEntry(token, claims, key.KeyId, keySet, size);
        if (_entries.TryAdd(token, entry))
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _bytes, size);
        }
    }

    /// <summary>Drops an entry (an expired token's, or one whose key left the set).</summary>
    public void Remove(TokenVerificationCacheEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, TokenVerificationCacheEntry>(entry.Token, entry)))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -entry.Size);
        }
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        foreach (var pair in _entries)
        {
            Remove(pair.Value);
        }
    }

    private static bool Contains(IReadOnlyList<TokenKey> keys, string keyId)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (string.Equals(keys[i].KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // Full: drop expired tokens first, then any entries until a quarter of the room is free. One sweeper at a
    // time; an adder that finds the cache still full afterwards (or a sweep running) just does not add.
    private void Sweep(long incoming)
    {
        if (!_sweep.TryEnter())
        {
            return;
        }

        try
        {
            var cutoff = _time.GetUtcNow().ToUnixTimeSeconds() - TokenVerifier.LeewaySeconds - 1;
            foreach (var pair in _entries)
            {
                if (pair.Value.Claims.Expires is { } exp && exp < cutoff)
                {
                    Remove(pair.Value);
                }
            }

            var entryTarget = _maxEntries - Math.Max(1, _maxEntries / 4);
            var byteTarget = _maxBytes - Math.Max(incoming, _maxBytes / 4);
            if (Volatile.Read(ref _count) <= entryTarget && Interlocked.Read(ref _bytes) <= byteTarget)
            {
                return;
            }

            // Enumeration order is the dictionary's bucket order: unrelated to age or to who sent the token.
            foreach (var pair in _entries)
            {
                if (Volatile.Read(ref _count) <= entryTarget && Interlocked.Read(ref _bytes) <= byteTarget)
                {
                    break;
                }

                Remove(pair.Value);
            }
        }
        finally
        {
            _sweep.Exit();
        }
    }
}
