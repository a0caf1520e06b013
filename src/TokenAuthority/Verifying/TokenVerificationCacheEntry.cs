using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Verifying;

/// <summary>
/// What one exact token came to: its signature verified under <see cref="KeyId"/> (while <see cref="KeySet"/> was
/// current) and its parsed claims. Both are pure functions of the token bytes and the key.
/// </summary>
internal sealed class TokenVerificationCacheEntry(string token, ServiceAccountTokenClaims claims, string keyId, TokenKeySet keySet, long size)
{
    /// <summary>The complete token: a hit compares it whole.</summary>
    public string Token { get; } = token;

    public ServiceAccountTokenClaims Claims { get; } = claims;

    /// <summary>The kid (a hash of the public key) of the key that verified the signature.</summary>
    public string KeyId { get; } = keyId;

    /// <summary>The set the key was checked against; replaced by a newer set once the key is found in it.</summary>
    public TokenKeySet KeySet { get; set; } = keySet;

    /// <summary>The estimated bytes the entry holds.</summary>
    public long Size { get; } = size;

    /// <summary>
    /// The last successful answer for this token and the audiences it was asked for: immutable, so it is handed out
    /// again when the same audiences are asked for (and staleness is unchanged) after every check has passed again.
    /// A reference, so that a reader never sees the audiences of one answer with the result of another.
    /// </summary>
    public Tuple<string[], TokenVerificationResult>? LastSuccess { get; set; }
}
