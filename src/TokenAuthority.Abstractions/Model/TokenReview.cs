using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The <c>authentication.k8s.io/v1 TokenReview</c> object.</summary>
public sealed record TokenReview
{
    /// <summary>The kind this type serialises as.</summary>
    public const string KindName = "TokenReview";

    /// <summary>Always <c>TokenReview</c> on output.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; } = KindName;

    /// <summary>Always <c>authentication.k8s.io/v1</c> on output.</summary>
    [JsonPropertyName("apiVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiVersion { get; init; } = KubernetesApi.AuthenticationV1;

    /// <summary>Object metadata (<c>{}</c>).</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; init => field = value ?? new(); } = new();

    /// <summary>The token and audiences; echoed in the response.</summary>
    [JsonPropertyName("spec")]
    public TokenReviewSpec Spec { get; init => field = value ?? new(); } = new();

    /// <summary>The result; ignored on input.</summary>
    [JsonPropertyName("status")]
    public TokenReviewStatus Status { get; init => field = value ?? new(); } = new();
}
