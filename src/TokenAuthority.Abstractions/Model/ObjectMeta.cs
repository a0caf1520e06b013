using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The subset of Kubernetes <c>metav1.ObjectMeta</c> that TokenRequest and TokenReview carry.</summary>
public sealed record ObjectMeta
{
    /// <summary>The object name.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The object namespace.</summary>
    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; init; }

    /// <summary>The object uid.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>When the object was created; omitted when unset (Kubernetes 1.33+ <c>omitzero</c>).</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; init; }
}
