using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>
/// Options of the Kubernetes-compatible HTTP API mapped by <c>MapTokenAuthority()</c>. Configure them with
/// <c>services.AddTokenAuthorityEndpoints(o =&gt; ...)</c> (or <c>services.Configure&lt;TokenAuthorityEndpointOptions&gt;</c>);
/// they are validated when the endpoints are mapped.
/// </summary>
public sealed class TokenAuthorityEndpointOptions
{
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
}
