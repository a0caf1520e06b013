using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>
/// A small bounded cache of positive TokenReview answers. Keys are SHA-256 digests of the token and the
/// audiences (never the token itself); entries expire on the injected clock.
/// </summary>
internal sealed class TokenReviewCache(int sizeLimit)
{
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
