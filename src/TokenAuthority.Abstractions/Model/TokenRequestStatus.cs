using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The issued token and when it expires (<c>authentication.k8s.io/v1 TokenRequestStatus</c>).</summary>
public sealed record TokenRequestStatus
{
    /// <summary>The signed JWT.</summary>
    [JsonPropertyName("token")]
    public string Token { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>When the token expires (RFC 3339, whole seconds, UTC).</summary>
    [JsonPropertyName("expirationTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? ExpirationTimestamp { get; init; }
}
