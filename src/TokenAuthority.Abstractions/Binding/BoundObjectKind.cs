namespace TokenAuthority.Binding;

/// <summary>
/// A kind of object tokens may be bound to, described once: the built-in <see cref="Pod"/>, <see cref="Secret"/> and
/// <see cref="Node"/>, and any kind the host registers with <c>TokenAuthorityBuilder.AddBoundObjectKind</c>. Issuing,
/// verifying, reading and writing the claims all follow this description; no kind is special-cased elsewhere.
/// </summary>
public sealed record BoundObjectKind
{
    /// <summary>A pod: namespaced, runs as a service account (which must be the token's) on a node (recorded in the token).</summary>
    public static BoundObjectKind Pod { get; } = new()
    {
        Kind = BoundObjectKinds.Pod,
        Resource = "pods",
        HasServiceAccount = true,
        HasNode = true,
    };

    /// <summary>A secret: namespaced.</summary>
    public static BoundObjectKind Secret { get; } = new() { Kind = BoundObjectKinds.Secret, Resource = "secrets" };

    /// <summary>A node: cluster-scoped.</summary>
    public static BoundObjectKind Node { get; } = new() { Kind = BoundObjectKinds.Node, Resource = "nodes", Namespaced = false };

    /// <summary>The kinds Kubernetes binds tokens to.</summary>
    public static IReadOnlyList<BoundObjectKind> BuiltIn { get; } = [Pod, Secret, Node];

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

    /// <summary>
    /// Whether the object runs as a service account (the resolver's <c>BoundObject.ServiceAccountName</c>): a token may be bound
    /// to it only for that service account, as Kubernetes requires of pods.
    /// </summary>
    public bool HasServiceAccount { get; init; }

    /// <summary>
    /// Whether the object runs on a node (the resolver's <c>BoundObject.NodeName</c>): the token then records the node's name and
    /// uid in the <c>node</c> member, for information (it is not checked on verification), as Kubernetes does for pods.
    /// </summary>
    public bool HasNode { get; init; }

    /// <summary>The effective claim member name.</summary>
    public string EffectiveClaimName => string.IsNullOrEmpty(ClaimName) ? Kind.ToLowerInvariant() : ClaimName;
}
