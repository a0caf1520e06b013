using System.Text.Json.Serialization;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>The part of a pod's <c>spec</c> that token binding uses.</summary>
public sealed record PodSpec
{
    /// <summary>The service account the pod runs as (must exist in the pod's namespace); defaults to <c>default</c>.</summary>
    [JsonPropertyName("serviceAccountName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServiceAccountName { get; init; }

    /// <summary>The node the pod runs on; optional. Tokens bound to the pod then also carry the node.</summary>
    [JsonPropertyName("nodeName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NodeName { get; init; }
}
