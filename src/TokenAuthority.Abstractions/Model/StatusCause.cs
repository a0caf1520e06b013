using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>One cause of a failure (<c>metav1.StatusCause</c>).</summary>
public sealed record StatusCause
{
    /// <summary>Machine-readable reason, e.g. <c>FieldValueInvalid</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>Human-readable description.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>The field path, e.g. <c>spec.expirationSeconds</c>.</summary>
    [JsonPropertyName("field")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }
}
