using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>The <c>metadata</c> of an object: name and namespace from the client, uid and creation time from the server.</summary>
public sealed record ObjectMetadata
{
    /// <summary>The name: a DNS-1123 subdomain.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The namespace (namespaced kinds only); must match the URL when given.</summary>
    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; init; }

    /// <summary>Assigned by the server on creation; ignored on input.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>Assigned by the server on creation; ignored on input.</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; init; }
}
