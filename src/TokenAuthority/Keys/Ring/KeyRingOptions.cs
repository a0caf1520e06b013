namespace TokenAuthority.Keys.Ring;

/// <summary>
/// The timeline of a key ring: how often it rotates, how long verifiers may cache the JWKS, and where the keys
/// live. Bound from the <c>TokenAuthority:Keys</c> configuration section and checked at start-up.
/// </summary>
/// <remarks>
/// A key signs only after it has been published for <see cref="JwksMaxAge"/> (so every verifier that caches the
/// JWKS for at most that long has it); a retired key stays published until every token it signed has expired, plus
/// leeway. The longest token lifetime comes from <see cref="TokenAuthorityOptions"/>: set
/// <see cref="TokenAuthorityOptions.MaxExpirationSeconds"/>, or retired keys are kept for 2^32 seconds.
/// </remarks>
public sealed class KeyRingOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "TokenAuthority:Keys";

    /// <summary>
    /// A directory the authority manages: keys are generated there, written atomically and owner-only, rotated and
    /// deleted. Several instances may share it. When set (and no other key source is registered), the ring is used.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>How long a key is the signing key before its successor takes over (default 7 days).</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The <c>Cache-Control: max-age</c> of the discovery document and JWKS (default 1 hour, as kube-apiserver). A key
    /// is published at least this long before it signs.
    /// </summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the ring is re-read from its store, to see other instances' rotations (default 1 minute). It is
    /// added to the retention of retired keys, since an instance may sign with a key that long after another retired it.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The algorithm of generated keys: <c>RS256</c> (RSA 2048, the default), <c>ES256</c>, <c>ES384</c> or <c>ES512</c>.</summary>
    public string Algorithm { get; set; } = "RS256";

    /// <summary>
    /// A PEM private key adopted as the active key when the ring is empty: upgrades a data directory that had a single
    /// key file in place, so tokens it signed keep verifying. Ignored once the ring exists.
    /// </summary>
    public string? ImportKeyFile { get; set; }

    /// <summary>How long to wait for another instance's lock on the store before failing (default 30 s).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
