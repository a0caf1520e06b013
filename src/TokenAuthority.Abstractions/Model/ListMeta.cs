using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>Metadata of a Status object; always empty (<c>{}</c>).</summary>
public sealed record ListMeta
{
    /// <summary>Not used; present so the type serialises as an object.</summary>
    [JsonPropertyName("resourceVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResourceVersion { get; init; }
}
