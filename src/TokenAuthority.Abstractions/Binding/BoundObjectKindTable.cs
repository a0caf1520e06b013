namespace TokenAuthority.Binding;

/// <summary>
/// Every kind a token may be bound to (the built-in ones and those the host registered), found by
/// <c>boundObjectRef</c> group and kind when issuing, and by claim member name when reading a token.
/// </summary>
internal sealed class BoundObjectKindTable
{
    private readonly Dictionary<(string Group, string Kind), BoundObjectKind> _byGroupKind = [];
    private readonly Dictionary<string, BoundObjectKind> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BoundObjectKind> _byClaimName = new(StringComparer.Ordinal);

    public BoundObjectKindTable(IEnumerable<BoundObjectKind> registered)
    {
        // The options validator refuses registrations that would collide; TryAdd keeps the built-in one regardless.
        foreach (var kind in BoundObjectKind.BuiltIn.Concat(registered))
        {
            _byGroupKind.TryAdd((kind.Group, kind.Kind), kind);
            _byKind.TryAdd(kind.Kind, kind);
            _byClaimName.TryAdd(kind.EffectiveClaimName, kind);
        }
    }

    /// <summary>The kind a <c>boundObjectRef</c> names, by its API group and kind.</summary>
    public bool TryGet(string group, string kind, out BoundObjectKind descriptor) => _byGroupKind.TryGetValue((group, kind), out descriptor!);

    /// <summary>The kind of a binding read from a verified token (the reader yields only kinds of this table).</summary>
    public BoundObjectKind Get(string kind) => _byKind[kind];

    /// <summary>The kind whose binding a <c>kubernetes.io</c> member carries.</summary>
    public bool TryGetByClaimName(string claimName, out BoundObjectKind descriptor) => _byClaimName.TryGetValue(claimName, out descriptor!);
}
