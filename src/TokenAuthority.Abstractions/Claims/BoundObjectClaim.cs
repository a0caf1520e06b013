namespace TokenAuthority.Claims;

/// <summary>The object a token is bound to, carried as a member of the <c>kubernetes.io</c> claim.</summary>
/// <param name="ClaimName">The member name inside <c>kubernetes.io</c> (<c>pod</c>, <c>secret</c>, <c>node</c> or a registered kind's).</param>
/// <param name="Kind">The kind (<c>Pod</c>, <c>Secret</c>, <c>Node</c> or a registered kind).</param>
/// <param name="Reference">The bound object's name and uid.</param>
public sealed record BoundObjectClaim(string ClaimName, string Kind, ObjectReferenceClaim Reference)
{
    /// <summary>A binding to an object of <paramref name="kind"/>, under the kind's claim name.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="reference">The object's name and uid.</param>
    /// <returns>The claim.</returns>
    public static BoundObjectClaim For(Binding.BoundObjectKind kind, ObjectReferenceClaim reference)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new(kind.EffectiveClaimName, kind.Kind, reference);
    }
}
