using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The token to review and the audiences to review it for.</summary>
public sealed record TokenReviewSpec
{
    /// <summary>The opaque bearer token.</summary>
    [JsonPropertyName("token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    /// <summary>Audiences the caller accepts; empty means the authority's API audiences.</summary>
    [JsonPropertyName("audiences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Audiences { get; init; }
}
