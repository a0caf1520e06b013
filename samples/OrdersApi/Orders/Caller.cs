namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>Who called: the service account, and the object (pod, node, secret or other kind) the token is bound to.</summary>
/// <param name="VerifiedBy"><c>oidc-discovery</c> (stateless signature check) or <c>token-review</c> (asked the authority).</param>
/// <param name="Username">The Kubernetes user name, <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</param>
/// <param name="ServiceAccount">The service account.</param>
/// <param name="BoundObject">The object the token is bound to, with its kind, if any.</param>
/// <param name="Pod">The bound pod, if any.</param>
/// <param name="Node">The node (bound node, or the bound pod's node), if any.</param>
public sealed record Caller(string VerifiedBy, string? Username, ObjectReference? ServiceAccount, ObjectReference? BoundObject, ObjectReference? Pod, ObjectReference? Node);
