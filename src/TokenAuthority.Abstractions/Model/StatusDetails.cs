using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>Extended data of a failure (<c>metav1.StatusDetails</c>).</summary>
public sealed record StatusDetails
{
    /// <summary>Name of the object concerned.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>API group of the object concerned (omitted for the core group).</summary>
    [JsonPropertyName("group")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }

    /// <summary>Kind (or resource) of the object concerned.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>UID of the object concerned.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>Field-level causes (422).</summary>
    [JsonPropertyName("causes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StatusCause>? Causes { get; init; }

    /// <summary>Seconds the client should wait before retrying.</summary>
    [JsonPropertyName("retryAfterSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int RetryAfterSeconds { get; init; }
}
