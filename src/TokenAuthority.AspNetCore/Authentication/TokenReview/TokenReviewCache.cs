using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>
/// A small bounded cache of positive TokenReview answers. Keys are SHA-256 digests of the token and the
/// audiences (never the token itself); entries expire on the injected clock, and never after the token does.
/// </summary>
internal sealed class TokenReviewCache(int sizeLimit)
{
    /// <summary>The leeway the authority allows on <c>exp</c> (Kubernetes' <c>jwt.DefaultLeeway</c>, as <c>TokenVerifier</c>).</summary>
    public static readonly TimeSpan ExpiryLeeway = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

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

    public bool TryGet(string key, DateTimeOffset now, out TokenVerificationResult result)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (now < entry.Expires)
            {
                result = entry.Result;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        result = null!;
        return false;
    }

    public void Set(string key, TokenVerificationResult result, DateTimeOffset expires, DateTimeOffset now)
    {
        if (!result.Succeeded || expires <= now)
        {
            return;
        }

        if (_entries.Count >= sizeLimit)
        {
            foreach (var (k, e) in _entries)
            {
                if (e.Expires <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(k, e));
                }
            }

            if (_entries.Count >= sizeLimit)
            {
                return;
            }
        }

        _entries[key] = new Entry(result, expires);
    }

    private sealed record Entry(TokenVerificationResult Result, DateTimeOffset Expires);
}
