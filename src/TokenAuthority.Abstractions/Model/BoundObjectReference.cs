using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>A reference to the object a token is bound to (<c>authentication.k8s.io/v1 BoundObjectReference</c>).</summary>
public sealed record BoundObjectReference
{
    /// <summary>Kind of the referent: <c>Pod</c>, <c>Secret</c>, <c>Node</c> or a kind the host registered.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>API version of the referent (only its group is checked).</summary>
    [JsonPropertyName("apiVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiVersion { get; init; }

    /// <summary>Name of the referent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>UID of the referent; empty means "the live object's uid".</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }
}
