namespace TokenAuthority.Binding;

/// <summary>What a resolver knows about a live object: identity, deletion state and, for pods, placement.</summary>
public sealed record BoundObject
{
    /// <summary>The kind, e.g. <c>Pod</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The namespace; <see langword="null"/> for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The uid assigned when the object was created; a recreated object has a new one.</summary>
    public required string Uid { get; init; }

    /// <summary>When deletion started, if it has. Tokens stay valid for 60 s after this, as in Kubernetes.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    /// <summary>For a pod: the service account it runs as.</summary>
    public string? ServiceAccountName { get; init; }

    /// <summary>For a pod: the node it is scheduled on, if any.</summary>
    public string? NodeName { get; init; }

    /// <summary>The key this object is found under.</summary>
    public BoundObjectKey Key => new(Kind, Namespace, Name);
}
