namespace TokenAuthority.Binding;

/// <summary>Identifies an object to resolve: its kind, namespace (null for cluster-scoped kinds) and name.</summary>
/// <param name="Kind">The kind, e.g. <c>Pod</c> or <c>ServiceAccount</c>.</param>
/// <param name="Namespace">The namespace, or <see langword="null"/> for cluster-scoped kinds such as <c>Node</c>.</param>
/// <param name="Name">The object name.</param>
public readonly record struct BoundObjectKey(string Kind, string? Namespace, string Name)
{
    /// <inheritdoc />
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
