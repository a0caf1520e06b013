namespace TokenAuthority.Claims;

/// <summary>A <c>{"name","uid"}</c> member of the <c>kubernetes.io</c> claim.</summary>
/// <param name="Name">The object name.</param>
/// <param name="Uid">The object uid; may be empty (a pod's node that did not exist at issuance).</param>
public sealed record ObjectReferenceClaim(string Name, string Uid);
