using TokenAuthority.Binding;
using TokenAuthority.Claims;

namespace TokenAuthority.Identity;

/// <summary>
/// The one place the identity reads bindings from verified claims: the object the token is bound to (kind, name, uid)
/// and the node it names (the bound node, or the bound pod's node).
/// </summary>
internal static class ServiceAccountTokenBinding
{
    /// <summary>The bound object and the node of <paramref name="claims"/>; both null for an unbound token.</summary>
    public static (ObjectIdentity? BoundObject, ObjectIdentity? Node) Read(ServiceAccountTokenClaims claims)
    {
        var bound = claims.BoundObject is { } b ? new ObjectIdentity(b.Kind, b.Reference.Name, b.Reference.Uid) : null;
        var node = claims.Node is { } n ? new ObjectIdentity(BoundObjectKinds.Node, n.Name, n.Uid)
            : bound is { Kind: BoundObjectKinds.Node } ? bound
            : null;
        return (bound, node);
    }

    /// <summary>Whether <paramref name="kind"/> is one Kubernetes reports in its own extras (pod and node).</summary>
    public static bool HasKubernetesExtras(string kind) => kind is BoundObjectKinds.Pod or BoundObjectKinds.Node;

    /// <summary>The kind a pod-bound identity carries.</summary>
    public static string Pod => BoundObjectKinds.Pod;

    /// <summary>The kind a node-bound identity carries.</summary>
    public static string Node => BoundObjectKinds.Node;
}
