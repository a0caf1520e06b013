using TokenAuthority.Identity;

namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>
/// Describes who called from the library's model of the caller (<see cref="ServiceAccountIdentity"/>), which both schemes
/// (the JwtBearer helper and TokenReview) build the same way: the service account, the bound object and the node. Nothing is
/// parsed here; <c>HttpContext.GetTokenVerificationResult()</c> hands the identity over.
/// </summary>
internal static class CallerDescriber
{
    public static Caller Describe(ServiceAccountIdentity? identity, string verifiedBy)
    {
        if (identity is null)
        {
            return new Caller(verifiedBy, null, null, null, null, null);
        }

        var bound = identity.BoundObject;
        return new Caller(
            verifiedBy,
            identity.Username,
            new ObjectReference(identity.Name, NullIfEmpty(identity.Uid), identity.Namespace),
            bound is null ? null : new ObjectReference(bound.Name, NullIfEmpty(bound.Uid), Kind: bound.Kind),
            bound is { Kind: "Pod" } ? new ObjectReference(bound.Name, NullIfEmpty(bound.Uid)) : null,
            identity.Node is { } node ? new ObjectReference(node.Name, NullIfEmpty(node.Uid)) : null);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
