using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>What a token is requested for. As in Kubernetes, every field serialises even when <see langword="null"/>.</summary>
public sealed record TokenRequestSpec
{
    /// <summary>Intended audiences; empty means the authority's API audiences.</summary>
    [JsonPropertyName("audiences")]
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>Requested lifetime in seconds; <see langword="null"/> means 3600.</summary>
    [JsonPropertyName("expirationSeconds")]
    public long? ExpirationSeconds { get; init; }

    /// <summary>The object the token is bound to, if any.</summary>
    [JsonPropertyName("boundObjectRef")]
    public BoundObjectReference? BoundObjectRef { get; init; }
}
