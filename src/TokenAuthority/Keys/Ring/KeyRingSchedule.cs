namespace TokenAuthority.Keys.Ring;

/// <summary>The numbers the timeline needs, fixed at start-up.</summary>
/// <param name="RotationInterval">How long a key signs.</param>
/// <param name="MaxAge">The JWKS max-age.</param>
/// <param name="RetentionMargin">Added after a retired key's last possible <c>exp</c>: verification leeway plus the refresh interval.</param>
/// <param name="MaxTokenLifetimeSeconds">The longest lifetime of a token issued under the current configuration.</param>
internal sealed record KeyRingSchedule(TimeSpan RotationInterval, TimeSpan MaxAge, TimeSpan RetentionMargin, long MaxTokenLifetimeSeconds)
{
    /// <summary>
    /// How long a key is published before it may sign: the JWKS max-age, plus the refresh interval, since another
    /// instance may learn of a new key (and start serving it) that much later than the one that made it.
    /// </summary>
    public TimeSpan PublishLead => MaxAge + (RetentionMargin - Leeway);

    /// <summary>The verification leeway (go-jose's and the verifier's).</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest lifetime the issuer can give a token: the cap (2^32 s when there is none), or the extended lifetime
    /// of a pod's auto-injected token when extension is on and it is longer.
    /// </summary>
    public static long MaxTokenLifetime(TokenAuthorityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cap = options.MaxExpirationSeconds > 0 ? options.MaxExpirationSeconds : TokenAuthorityOptions.MaxExpirationLimitSeconds;
        return options.ExtendExpiration ? Math.Max(cap, options.MaxExtendedExpirationSeconds) : cap;
    }

    public static KeyRingSchedule From(KeyRingOptions ring, TokenAuthorityOptions options) =>
        new(ring.RotationInterval, ring.JwksMaxAge, Leeway + ring.RefreshInterval, MaxTokenLifetime(options));
}
