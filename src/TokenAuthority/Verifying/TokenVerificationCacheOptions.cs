namespace TokenAuthority.Verifying;

/// <summary>
/// The verification cache: what a token's signature and claims came to, remembered per exact token so that a
/// token seen again costs a lookup instead of a signature check. Expiry, not-before, the service account and the
/// bound object are still checked on every call; failures are never cached.
/// </summary>
/// <remarks>
/// An entry is dropped at the token's <c>exp</c> and the moment its key leaves the verification set; the cache is
/// bounded by <see cref="MaxEntries"/> and <see cref="MaxBytes"/>. Eviction only costs a signature check.
/// </remarks>
public sealed class TokenVerificationCacheOptions
{
    /// <summary>Whether verified tokens are remembered. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most tokens remembered (default 10,000).</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>The most memory the remembered tokens and their claims may take, estimated, in bytes (default 32 MiB).</summary>
    public long MaxBytes { get; set; } = 32L * 1024 * 1024;
}
