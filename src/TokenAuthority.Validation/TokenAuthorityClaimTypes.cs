using TokenAuthority.Identity;

namespace TokenAuthority.Validation;

/// <summary>
/// The claim types of the principal built from a verified token. The identity's name claim is
/// <see cref="Username"/> and its role claim is <see cref="Group"/>, so <c>User.Identity.Name</c> and
/// <c>User.IsInRole("system:serviceaccounts:ns")</c> work. Extra values use their Kubernetes keys as claim types.
/// </summary>
public static class TokenAuthorityClaimTypes
{
    /// <summary>The username, <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c> (the identity's name claim).</summary>
    public const string Username = "username";

    /// <summary>The service account's uid.</summary>
    public const string Uid = "uid";

    /// <summary>A group (one claim per group), including <c>system:authenticated</c>, as the API server reports them.</summary>
    public const string Group = "groups";

    /// <summary>An audience of the token that this service accepted (one claim per audience).</summary>
    public const string Audience = "aud";

    /// <summary>The service account's namespace.</summary>
    public const string Namespace = "kubernetes.io/namespace";

    /// <summary>The service account's name.</summary>
    public const string ServiceAccountName = "kubernetes.io/serviceaccount/name";

    /// <summary>
    /// The kind of object the token is bound to: <c>Pod</c>, <c>Secret</c>, <c>Node</c> or a registered kind; absent for
    /// unbound tokens. The same on every path (over TokenReview, secrets and registered kinds travel in the
    /// <c>authentication.tokenauthority.io/bound-object-*</c> extras; a Kubernetes authority reports secret-bound tokens as unbound).
    /// </summary>
    public const string BoundObjectKind = "kubernetes.io/bound-object-kind";

    /// <summary>The name of the object the token is bound to; absent for unbound tokens.</summary>
    public const string BoundObjectName = "kubernetes.io/bound-object-name";

    /// <summary>The uid of the object the token is bound to (the one it was issued for); absent for unbound tokens.</summary>
    public const string BoundObjectUid = "kubernetes.io/bound-object-uid";

    /// <summary>Extra value: the bound pod's name.</summary>
    public const string PodName = ServiceAccountUserInfo.PodNameExtra;

    /// <summary>Extra value: the bound pod's uid.</summary>
    public const string PodUid = ServiceAccountUserInfo.PodUidExtra;

    /// <summary>Extra value: the node's name (node-bound tokens, or the bound pod's node).</summary>
    public const string NodeName = ServiceAccountUserInfo.NodeNameExtra;

    /// <summary>Extra value: the node's uid.</summary>
    public const string NodeUid = ServiceAccountUserInfo.NodeUidExtra;

    /// <summary>Extra value: the credential id, <c>JTI=&lt;jti&gt;</c>.</summary>
    public const string CredentialId = ServiceAccountUserInfo.CredentialIdExtra;
}
