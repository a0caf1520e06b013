using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The <c>authentication.k8s.io/v1 TokenRequest</c> object: request and response of the token subresource.</summary>
public sealed record TokenRequest
{
    /// <summary>The kind this type serialises as.</summary>
    public const string KindName = "TokenRequest";

    /// <summary>Always <c>TokenRequest</c> on output.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; } = KindName;

    /// <summary>Always <c>authentication.k8s.io/v1</c> on output.</summary>
    [JsonPropertyName("apiVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiVersion { get; init; } = KubernetesApi.AuthenticationV1;

    /// <summary>Object metadata.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; init => field = value ?? new(); } = new();

    /// <summary>What is requested.</summary>
    [JsonPropertyName("spec")]
    public TokenRequestSpec Spec { get; init => field = value ?? new(); } = new();

    /// <summary>The result; ignored on input.</summary>
    [JsonPropertyName("status")]
    public TokenRequestStatus Status { get; init => field = value ?? new(); } = new();
}
