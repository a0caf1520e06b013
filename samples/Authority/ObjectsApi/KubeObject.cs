using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>A service account, pod, secret or node in the Kubernetes shape (request and response body).</summary>
public sealed record KubeObject
{
    /// <summary>The kind, e.g. <c>Pod</c>; optional on input, but must match the URL when given.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>Always <c>v1</c>; optional on input.</summary>
    [JsonPropertyName("apiVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiVersion { get; init; }

    /// <summary>Name, namespace, uid and creation time.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; init; }

    /// <summary>Pods only: service account and node.</summary>
    [JsonPropertyName("spec")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PodSpec? Spec { get; init; }
}
