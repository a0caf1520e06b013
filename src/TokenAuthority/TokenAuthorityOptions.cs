using TokenAuthority.Binding;
using TokenAuthority.Keys;

namespace TokenAuthority;

/// <summary>
/// Configuration of a token authority; bound from the <c>TokenAuthority</c> configuration section and
/// validated at start-up.
/// </summary>
public sealed class TokenAuthorityOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "TokenAuthority";

    /// <summary>The longest lifetime Kubernetes accepts: 2^32 seconds.</summary>
    public const long MaxExpirationLimitSeconds = 1L << 32;

    /// <summary>
    /// The issuer (<c>iss</c>) of new tokens: an https URL with no query or fragment, like kube-apiserver's
    /// first <c>--service-account-issuer</c>.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Further issuers whose tokens still verify (for migrations), like later <c>--service-account-issuer</c> values.</summary>
    public IList<string> AcceptedIssuers { get; } = [];

    /// <summary>
    /// The audiences tokens get when a request names none, and that verification assumes when the caller
    /// names none (<c>--api-audiences</c>). Empty means the issuers.
    /// </summary>
    public IList<string> ApiAudiences { get; } = [];

    /// <summary>
    /// The longest lifetime a token may be issued with, in seconds; 0 means no cap. When set, between
    /// 3600 and 2^32 (<c>--service-account-max-token-expiration</c>). Longer requests are shortened with a warning.
    /// </summary>
    public long MaxExpirationSeconds { get; set; }

    /// <summary>
    /// Whether pod-bound tokens requested for 3607 s get a one-year <c>exp</c> with a <c>warnafter</c> claim
    /// (<c>--service-account-extend-token-expiration</c>, default on).
    /// </summary>
    public bool ExtendExpiration { get; set; } = true;

    /// <summary>The lifetime of extended tokens, in seconds (default one year).</summary>
    public long MaxExtendedExpirationSeconds { get; set; } = 31_536_000;

    /// <summary>Path of a PEM file with the private signing key (PKCS#1, PKCS#8 or SEC1).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The private signing key as PEM text (alternative to <see cref="SigningKeyFile"/>).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// The signing key as an object (alternative to the PEM settings; not bindable from configuration). It stays
    /// the host's: the authority never disposes it, so keep it undisposed while the service provider lives.
    /// Keys read from <see cref="SigningKeyFile"/>, <see cref="SigningKeyPem"/> and <see cref="VerificationKeyFiles"/>,
    /// or generated, are the authority's and are disposed with the service provider.
    /// </summary>
    public TokenKey? SigningKey { get; set; }

    /// <summary>Paths of PEM files with further public (or private) keys whose tokens still verify.</summary>
    public IList<string> VerificationKeyFiles { get; } = [];

    /// <summary>Further keys whose tokens still verify, as PEM text (each may hold several keys), like <see cref="VerificationKeyFiles"/>.</summary>
    public IList<string> VerificationKeyPems { get; } = [];

    /// <summary>
    /// Further keys whose tokens still verify, as objects (not bindable from configuration). They stay the host's, as
    /// <see cref="SigningKey"/> does: the authority uses their public halves and never disposes them.
    /// </summary>
    public IList<TokenKey> VerificationKeys { get; } = [];

    /// <summary>
    /// The <c>jwks_uri</c> published in discovery; defaults to <c>&lt;issuer&gt;/openid/v1/jwks</c>.
    /// </summary>
    public string? JwksUri { get; set; }

    /// <summary>How long one resolver lookup may take before verification fails closed (default 5 s).</summary>
    public TimeSpan ResolverTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Kinds beyond Pod, Secret and Node that tokens may be bound to.</summary>
    public IList<BoundObjectKind> BoundObjectKinds { get; } = [];

    /// <summary>The issuers accepted on verification: <see cref="Issuer"/> then <see cref="AcceptedIssuers"/>.</summary>
    public IReadOnlyList<string> AllIssuers() =>
        (Issuer is null ? AcceptedIssuers : [Issuer, .. AcceptedIssuers]).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The effective API audiences: <see cref="ApiAudiences"/>, or the issuers when empty.</summary>
    public IReadOnlyList<string> EffectiveApiAudiences() =>
        ApiAudiences.Count > 0 ? ApiAudiences.ToArray() : AllIssuers();

    /// <summary>The effective <c>jwks_uri</c>.</summary>
    public string EffectiveJwksUri() => JwksUri ?? (Issuer ?? string.Empty).TrimEnd('/') + "/openid/v1/jwks";
}
