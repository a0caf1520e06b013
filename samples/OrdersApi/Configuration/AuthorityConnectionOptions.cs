namespace TokenAuthority.Samples.OrdersApi.Configuration;

/// <summary>How OrdersApi reaches the token authority: the <c>Authority</c> configuration section.</summary>
public sealed class AuthorityConnectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Authority";

    /// <summary>The authority's base URL, which is also its issuer (default <c>https://127.0.0.1:8443</c>).</summary>
    public string Url { get; set; } = "https://127.0.0.1:8443";

    /// <summary>PEM file of the certificate authority to trust for the authority's TLS (the Authority sample's <c>tls.crt</c>).</summary>
    public string CaFile { get; set; } = "../Authority/.data/tls.crt";

    /// <summary>The bearer token OrdersApi presents to the TokenReview endpoint; takes precedence over <see cref="ReviewerTokenFile"/>.</summary>
    public string? ReviewerToken { get; set; }

    /// <summary>
    /// A file holding that token (default: the Authority sample's <c>reviewer.token</c>, which may create TokenReviews
    /// and nothing else).
    /// </summary>
    public string? ReviewerTokenFile { get; set; } = "../Authority/.data/reviewer.token";

    /// <summary>
    /// How long a positive TokenReview answer is reused (default 0: every request of <c>/orders/bound</c> asks the
    /// authority, so a deleted pod's token is refused from the next request on). At most 5 minutes.
    /// </summary>
    public TimeSpan TokenReviewCacheDuration { get; set; } = TimeSpan.Zero;

    /// <summary>The audience tokens must carry (default <c>orders</c>).</summary>
    public string Audience { get; set; } = "orders";
}
