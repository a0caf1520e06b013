using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>What a caller asks a token source for: an account, audiences, a lifetime and an optional bound object.</summary>
public sealed record ServiceAccountTokenRequest
{
    /// <summary>The service account's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The service account's name.</summary>
    public required string Name { get; init; }

    /// <summary>The audiences the token is for (the callee's); none means the authority's default audiences.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>The requested lifetime in seconds; <see langword="null"/> lets the authority choose.</summary>
    public long? ExpirationSeconds { get; init; }

    /// <summary>The object the token is bound to, if any.</summary>
    public BoundObjectReference? BoundObjectRef { get; init; }

    /// <summary>The TokenRequest spec for this request.</summary>
    /// <returns>The spec.</returns>
    public TokenRequestSpec ToSpec() => new()
    {
        Audiences = Audiences.Count == 0 ? null : Audiences,
        ExpirationSeconds = ExpirationSeconds,
        BoundObjectRef = BoundObjectRef,
    };
}
