using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The outcome of a review.</summary>
public sealed record TokenReviewStatus
{
    /// <summary>Whether the token authenticated; omitted when false, as in Kubernetes.</summary>
    [JsonPropertyName("authenticated")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Authenticated { get; init; }

    /// <summary>The user; always present (<c>{}</c> on failure).</summary>
    [JsonPropertyName("user")]
    public UserInfo User { get; init => field = value ?? new(); } = new();

    /// <summary>The audiences the token is valid for, ordered like the requested list.</summary>
    [JsonPropertyName("audiences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>Why the token did not authenticate.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
