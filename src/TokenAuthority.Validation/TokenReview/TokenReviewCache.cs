using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// The bounded cache of positive TokenReview answers, on the platform's <see cref="MemoryCache"/>. Keys are SHA-256
/// digests of the token and the audiences (never the token itself); each entry counts 1 towards
/// <see cref="TokenReviewAuthenticationOptions.CacheSizeLimit"/>; entries expire on the injected clock, and never after
/// the token does. A full cache makes room (expired answers first, then the least recently used) instead of refusing
/// the new answer: eviction only ever costs another review.
/// </summary>
internal sealed class TokenReviewCache : IDisposable
{
    /// <summary>The leeway the authority allows on <c>exp</c> (Kubernetes' <c>jwt.DefaultLeeway</c>, as <c>TokenVerifier</c>).</summary>
    public static readonly TimeSpan ExpiryLeeway = TimeSpan.FromSeconds(60);

    /// <summary>The share of entries a full cache frees at once (<see cref="MemoryCacheOptions.CompactionPercentage"/>'s default); at least one.</summary>
    private const double CompactionShare = 0.05;

    private readonly MemoryCache _answers;
    private readonly TimeProvider _timeProvider;
    private readonly int _sizeLimit;
    private int _compacting;

    /// <param name="sizeLimit">The most answers kept; 0 keeps none.</param>
    /// <param name="timeProvider">The clock entries expire on (the scheme's).</param>
    public TokenReviewCache(int sizeLimit, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeLimit);
        _sizeLimit = sizeLimit;
        _timeProvider = timeProvider;
        _answers = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sizeLimit,
            CompactionPercentage = CompactionShare,
            Clock = new TimeProviderSystemClock(timeProvider),
        });
    }

    /// <summary>The entries held, expired ones not yet removed included.</summary>
    public int Count => _answers.Count;

    public static string Key(string token, IEnumerable<string> audiences)
    {
        // Length-prefixed parts, so that no two (token, audiences) pairs share an input.
        var builder = new StringBuilder();
        foreach (var part in audiences.Prepend(token))
        {
            builder.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>
    /// Until when a positive answer may be reused: <paramref name="asked"/> + <paramref name="duration"/>, but never past
    /// the token's <c>exp</c> + <see cref="ExpiryLeeway"/>, which is when the authority itself stops accepting it. A token
    /// without a readable <c>exp</c>, or already past it, is not cached (null): the authority alone decides then.
    /// </summary>
    /// <param name="asked">When the authority was asked.</param>
    /// <param name="duration">The configured cache duration.</param>
    /// <param name="tokenExpires">The token's <c>exp</c> in Unix seconds, read after the authority verified the token.</param>
    /// <param name="now">The time now.</param>
    public static DateTimeOffset? EntryExpiry(DateTimeOffset asked, TimeSpan duration, long? tokenExpires, DateTimeOffset now)
    {
        if (tokenExpires is not { } exp || exp <= now.ToUnixTimeSeconds())
        {
            return null;
        }

        var window = asked + duration;
        var leewaySeconds = (long)ExpiryLeeway.TotalSeconds;
        if (exp > DateTimeOffset.MaxValue.ToUnixTimeSeconds() - leewaySeconds)
        {
            return window;
        }

        var tokenEnd = DateTimeOffset.FromUnixTimeSeconds(exp + leewaySeconds);
        return tokenEnd < window ? tokenEnd : window;
    }

    /// <summary>The answer cached under <paramref name="key"/>, if it has not expired on the clock.</summary>
    public bool TryGet(string key, out TokenVerificationResult result)
    {
        if (_answers.TryGetValue(key, out var value) && value is TokenVerificationResult cached)
        {
            result = cached;
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>Keeps a positive answer until <paramref name="expires"/>; negative answers and answers already expired are not kept.</summary>
    public void Set(string key, TokenVerificationResult result, DateTimeOffset expires)
    {
        if (_sizeLimit == 0 || !result.Succeeded || expires <= _timeProvider.GetUtcNow())
        {
            return;
        }

        if (_answers.Count >= _sizeLimit)
        {
            MakeRoom();
        }

        _answers.Set(key, result, new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
    }

    public void Dispose() => _answers.Dispose();

    /// <summary>
    /// Frees <see cref="CompactionShare"/> of the entries (at least one) now, expired ones first, then the least recently
    /// used. MemoryCache alone would drop the new entry and compact later on another thread, and with fewer than 20 entries
    /// its 5 % rounds to none, so a small full cache would stop caching. One caller compacts at a time; a concurrent Set
    /// that still finds the cache full is dropped by MemoryCache, which costs only a review.
    /// </summary>
    private void MakeRoom()
    {
        if (Interlocked.Exchange(ref _compacting, 1) != 0)
        {
            return;
        }

        try
        {
            // Compact(share) removes (int)(Count * share) entries; 1.5 / Count makes that at least one.
            _answers.Compact(Math.Max(CompactionShare, 1.5 / Math.Max(_answers.Count, 1)));
        }
        finally
        {
            Volatile.Write(ref _compacting, 0);
        }
    }
}
