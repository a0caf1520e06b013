using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>The <c>v1 Status</c> error object returned for every failed API call.</summary>
public sealed record Status
{
    /// <summary>Always <c>Status</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "Status";

    /// <summary>Always <c>v1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = KubernetesApi.CoreV1;

    /// <summary>Always <c>{}</c>.</summary>
    [JsonPropertyName("metadata")]
    public ListMeta Metadata { get; init => field = value ?? new(); } = new();

    /// <summary><c>Failure</c> (or <c>Success</c>).</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusValue { get; init; } = "Failure";

    /// <summary>Human-readable message; kubectl prints it verbatim.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>Machine-readable reason, e.g. <c>NotFound</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>Extended data.</summary>
    [JsonPropertyName("details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StatusDetails? Details { get; init; }

    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("code")]
    public int Code { get; init; }
}
