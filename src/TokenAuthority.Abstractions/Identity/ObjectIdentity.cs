namespace TokenAuthority.Identity;

/// <summary>An object named in a caller's identity: the object its token is bound to, or a node.</summary>
/// <param name="Kind">The kind, e.g. <c>Pod</c>, <c>Secret</c>, <c>Node</c> or a kind the authority registered.</param>
/// <param name="Name">The name (in the service account's namespace, unless the kind is cluster-scoped).</param>
/// <param name="Uid">The uid the token was issued for; empty when unknown (a pod's node that did not exist at issuance).</param>
public sealed record ObjectIdentity(string Kind, string Name, string Uid);
