using TokenAuthority.Claims;

namespace TokenAuthority.Identity;

/// <summary>
/// The one place the identity reads bindings from verified claims: the object the token is bound to (kind, name, uid)
/// and the node it names (the bound node, or the bound pod's node).
/// </summary>
internal static class ServiceAccountTokenBinding
{
    // Kubernetes' built-in kinds, as boundObjectRef.kind names them.
    private const string PodKind = "Pod";
    private const string SecretKind = "Secret";
    private const string NodeKind = "Node";

    /// <summary>The bound object and the node of <paramref name="claims"/>; both null for an unbound token.</summary>
    public static (ObjectIdentity? BoundObject, ObjectIdentity? Node) Read(ServiceAccountTokenClaims claims)
    {
        var node = claims.Node is { } n ? new ObjectIdentity(NodeKind, n.Name, n.Uid) : null;
        var bound = claims.Pod is { } pod ? new ObjectIdentity(PodKind, pod.Name, pod.Uid)
            : claims.Secret is { } secret ? new ObjectIdentity(SecretKind, secret.Name, secret.Uid)
            : claims.CustomBinding is { } custom ? new ObjectIdentity(custom.Kind, custom.Reference.Name, custom.Reference.Uid)
            : node;
        return (bound, node);
    }

    /// <summary>Whether <paramref name="kind"/> is one Kubernetes reports in its own extras (pod and node).</summary>
    public static bool HasKubernetesExtras(string kind) => kind is PodKind or NodeKind;

    /// <summary>The kind a pod-bound identity carries.</summary>
    public static string Pod => PodKind;

    /// <summary>The kind a node-bound identity carries.</summary>
    public static string Node => NodeKind;
}
