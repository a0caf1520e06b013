namespace TokenAuthority.Validation;

/// <summary>
/// Options of the scheme that verifies bearer tokens by asking the authority's TokenReview endpoint, so that
/// tokens of deleted or recreated bound objects stop working (after at most <see cref="CacheDuration"/>).
/// </summary>
public sealed class TokenReviewAuthenticationOptions : TokenAuthorityAuthenticationOptions
{
    /// <summary>The authority's base URL (https), e.g. <c>https://tokens.example.com</c>; the TokenReview is posted to
    /// <c>&lt;Authority&gt;/apis/authentication.k8s.io/v1/tokenreviews</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// The issuers (<c>iss</c>) whose tokens are sent to the authority for review. Empty (the default) means the
    /// <see cref="Authority"/> URL itself, with or without a trailing slash. Set it when the authority's issuer is not
    /// its URL, or to list every issuer it accepts during a migration. Any other bearer value (another issuer's JWT,
    /// another scheme's credential, anything that is not a compact JWS) is refused here, as the authority would
    /// refuse it (<c>invalid bearer token</c>), without a call: it never leaves this service.
    /// </summary>
    public IList<string> Issuers { get; } = [];

    /// <summary>The bearer token this service presents to the TokenReview endpoint (sent only to the authority); null sends none.</summary>
    public string? ReviewerToken { get; set; }

    /// <summary>
    /// Path of a file holding the reviewer token instead of <see cref="ReviewerToken"/>, e.g. a projected
    /// service-account token that kubelet rotates; re-read at most once a minute.
    /// </summary>
    public string? ReviewerTokenFile { get; set; }

    /// <summary>
    /// How long a positive answer is reused for the same token and audiences (default 10 s, at most 5 minutes;
    /// zero turns caching off). A token whose bound object is deleted keeps working for at most this long.
    /// An answer is never reused past the token's <c>exp</c> + 60 s (when the authority itself stops accepting it),
    /// and a token without <c>exp</c> or already past it is not cached. Negative answers are never cached.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TokenReviewAuthenticationDefaults.CacheDuration;

    /// <summary>
    /// The most answers kept in the cache (default <see cref="TokenReviewAuthenticationDefaults.CacheSizeLimit"/>, 10 000;
    /// 0 keeps none). A full cache makes room for a new answer by dropping expired answers first, then the least
    /// recently used (5 % of the entries, at least one): eviction never refuses a token, it only costs another review.
    /// </summary>
    public int CacheSizeLimit { get; set; } = TokenReviewAuthenticationDefaults.CacheSizeLimit;

    /// <summary>
    /// Path of a PEM file with the CA certificate(s) to trust for the authority's TLS certificate (e.g. the
    /// authority's self-signed <c>tls.crt</c>). When set, only these CAs are trusted; the host name is still checked.
    /// </summary>
    public string? CertificateAuthorityFile { get; set; }

    /// <summary>
    /// The handler for calls to the authority (e.g. for tests or a proxy); excludes <see cref="CertificateAuthorityFile"/>.
    /// It must not follow redirects (a 307 would post the reviewed token to wherever it points): an
    /// <see cref="HttpClientHandler"/> or <see cref="SocketsHttpHandler"/> (also inside a <see cref="DelegatingHandler"/>)
    /// with <c>AllowAutoRedirect = true</c>, their default, is refused at start-up. A redirect answer refuses the token.
    /// </summary>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }

    /// <summary>How long one TokenReview call may take before the token is refused (default 10 s).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <see cref="Authority"/> must be https (default true). Turn off only for local development.</summary>
    public bool RequireHttpsAuthority { get; set; } = true;

    /// <summary>The client for calls to the authority; created at start-up from the settings above.</summary>
    internal HttpClient? Backchannel { get; set; }

    /// <summary>Supplies the reviewer token; created at start-up.</summary>
    internal ReviewerTokenSource? ReviewerTokenSource { get; set; }

    /// <summary>The issuers whose tokens may be sent for review: <see cref="Issuers"/>, or the authority's URL; set at start-up.</summary>
    internal IReadOnlySet<string>? ExpectedIssuers { get; set; }

    /// <summary>The cache of positive answers; created at start-up.</summary>
    internal TokenReviewCache? Cache { get; set; }
}
