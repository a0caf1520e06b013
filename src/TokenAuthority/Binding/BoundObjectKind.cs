namespace TokenAuthority.Binding;

/// <summary>
/// A kind of object tokens may be bound to, beyond the built-in <c>Pod</c>, <c>Secret</c> and <c>Node</c>.
/// Register one with <c>TokenAuthorityBuilder.AddBoundObjectKind</c>.
/// </summary>
public sealed record BoundObjectKind
{
    /// <summary>The kind as it appears in <c>boundObjectRef.kind</c> (case-sensitive), e.g. <c>Workflow</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The API group that <c>boundObjectRef.apiVersion</c> must name; empty for the core group.</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The plural resource name used in messages, e.g. <c>workflows</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>Whether objects live in a namespace (looked up in the token's namespace) or cluster-wide.</summary>
    public bool Namespaced { get; init; } = true;

    /// <summary>The member of the <c>kubernetes.io</c> claim that carries the binding; defaults to the lower-case kind.</summary>
    public string? ClaimName { get; init; }

    /// <summary>The effective claim member name.</summary>
    public string EffectiveClaimName => string.IsNullOrEmpty(ClaimName) ? Kind.ToLowerInvariant() : ClaimName;
}
