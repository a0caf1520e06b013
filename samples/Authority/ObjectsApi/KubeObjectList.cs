using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>A list of objects, e.g. <c>{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[...]}</c>.</summary>
public sealed record KubeObjectList
{
    /// <summary>The list kind, e.g. <c>PodList</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>Always <c>v1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = KubernetesApi.CoreV1;

    /// <summary>Always <c>{}</c>.</summary>
    [JsonPropertyName("metadata")]
    public ListMeta Metadata { get; init; } = new();

    /// <summary>The objects, ordered by name.</summary>
    [JsonPropertyName("items")]
    public required IReadOnlyList<KubeObject> Items { get; init; }
}
