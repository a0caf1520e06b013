namespace TokenAuthority.Discovery;

/// <summary>
/// The OIDC discovery document and JWKS of the authority, rendered once per key set exactly as
/// kube-apiserver renders them (field order, compact JSON).
/// </summary>
/// <param name="ConfigurationJson">The <c>/.well-known/openid-configuration</c> body.</param>
/// <param name="KeySetJson">The <c>/openid/v1/jwks</c> body (public keys only).</param>
public sealed record OpenIdMetadata(string ConfigurationJson, string KeySetJson)
{
    /// <summary>Path of the discovery document.</summary>
    public const string ConfigurationPath = "/.well-known/openid-configuration";

    /// <summary>Path of the key set.</summary>
    public const string KeySetPath = "/openid/v1/jwks";

    /// <summary>Content type of the discovery document.</summary>
    public const string ConfigurationContentType = "application/json";

    /// <summary>Content type of the key set.</summary>
    public const string KeySetContentType = "application/jwk-set+json";

    /// <summary>The default <c>Cache-Control</c> value for both documents (a max-age of one hour, as kube-apiserver).</summary>
    public const string CacheControl = "public, max-age=3600";

    /// <summary>
    /// How long a verifier may cache both documents: the key ring's <c>JwksMaxAge</c> (default one hour). A key is
    /// published at least this long before it signs.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The <c>Cache-Control</c> value for both documents: <c>public, max-age=</c><see cref="MaxAge"/> in seconds.</summary>
    public string CacheControlHeader => $"public, max-age={(long)MaxAge.TotalSeconds}";
}
