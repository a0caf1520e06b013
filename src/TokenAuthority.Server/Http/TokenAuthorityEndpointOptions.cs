using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>
/// Options of the Kubernetes-compatible HTTP API mapped by <c>MapTokenAuthority()</c>. Configure them with
/// <c>services.AddTokenAuthorityEndpoints(o =&gt; ...)</c> (or <c>services.Configure&lt;TokenAuthorityEndpointOptions&gt;</c>);
/// they are validated when the endpoints are mapped. The <c>TokenAuthority:Endpoints</c> configuration section is bound
/// first (<see cref="SectionName"/>), e.g. <c>TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit</c>.
/// </summary>
public sealed class TokenAuthorityEndpointOptions
{
    /// <summary>The configuration section bound to these options when the host has configuration.</summary>
    public const string SectionName = "TokenAuthority:Endpoints";

    /// <summary>The default <see cref="MaxRequestBodySize"/>: 1 MiB.</summary>
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>The default <see cref="KubernetesVersion"/>.</summary>
    public const string DefaultKubernetesVersion = "v1.33.0";

    /// <summary>
    /// The largest TokenRequest or TokenReview body accepted, in bytes; larger bodies get
    /// <c>413 RequestEntityTooLarge</c>. Between 1 KiB and 64 MiB; default 1 MiB.
    /// </summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// The Kubernetes version reported at <c>/version</c>, as a <c>gitVersion</c> such as <c>v1.33.0</c>.
    /// The kubectl dispatcher picks the kubectl binary by its minor version (kubectl 1.32 and later send
    /// TokenRequest bodies as protobuf, which the API decodes). Default <c>v1.33.0</c>.
    /// </summary>
    public string KubernetesVersion { get; set; } = DefaultKubernetesVersion;

    /// <summary>
    /// The per-caller limit on TokenRequest: on by default (200 requests at once, 100 a second per caller); a request
    /// over it gets <c>429 TooManyRequests</c> with <c>Retry-After</c>. Set <see cref="TokenRequestRateLimitOptions.Enabled"/>
    /// to <see langword="false"/> to turn it off (e.g. behind a gateway that limits already).
    /// </summary>
    public TokenRequestRateLimitOptions TokenRequestRateLimit { get; } = new();

    /// <summary>
    /// Core API resources the host serves itself (e.g. service accounts and pods), added to the <c>/api/v1</c> discovery
    /// document next to the authority's <c>serviceaccounts/token</c> so that kubectl can use them. Empty by default:
    /// discovery then lists only what the authority serves.
    /// </summary>
    public IList<KubernetesApiResource> CoreResources { get; } = [];
}
