using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Model;

namespace TokenAuthority.Verifying;

/// <summary>Builds the Kubernetes <see cref="UserInfo"/> of a verified token (spec §3.2).</summary>
public static class UserInfoFactory
{
    /// <summary>The group every service account is in.</summary>
    public const string AllServiceAccountsGroup = "system:serviceaccounts";

    /// <summary>The group the API server adds to every authenticated request.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>Extra key: bound pod name.</summary>
    public const string PodNameExtra = "authentication.kubernetes.io/pod-name";

    /// <summary>Extra key: bound pod uid.</summary>
    public const string PodUidExtra = "authentication.kubernetes.io/pod-uid";

    /// <summary>Extra key: node name (node-bound, or the bound pod's node).</summary>
    public const string NodeNameExtra = "authentication.kubernetes.io/node-name";

    /// <summary>Extra key: node uid.</summary>
    public const string NodeUidExtra = "authentication.kubernetes.io/node-uid";

    /// <summary>Extra key: <c>JTI=&lt;jti&gt;</c>.</summary>
    public const string CredentialIdExtra = "authentication.kubernetes.io/credential-id";

    /// <summary>The username of a service account: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public static string Username(string @namespace, string name) => $"system:serviceaccount:{@namespace}:{name}";

    /// <summary>The user for verified claims (groups without <c>system:authenticated</c>, as the authenticator itself returns).</summary>
    public static UserInfo Create(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var extra = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (claims.BoundObject is { Kind: BoundObjectKinds.Pod, Reference: var pod } && !string.IsNullOrEmpty(pod.Name) && !string.IsNullOrEmpty(pod.Uid))
        {
            extra[PodNameExtra] = [pod.Name];
            extra[PodUidExtra] = [pod.Uid];
        }

        // The node a pod runs on, or the node the token is bound to.
        var node = claims.Node ?? (claims.BoundObject is { Kind: BoundObjectKinds.Node } bound ? bound.Reference : null);
        if (node is not null && !string.IsNullOrEmpty(node.Name))
        {
            extra[NodeNameExtra] = [node.Name];
            if (!string.IsNullOrEmpty(node.Uid))
            {
                extra[NodeUidExtra] = [node.Uid];
            }
        }

        if (!string.IsNullOrEmpty(claims.Id))
        {
            extra[CredentialIdExtra] = ["JTI=" + claims.Id];
        }

        return new UserInfo
        {
            Username = Username(claims.Namespace, claims.ServiceAccount.Name),
            Uid = claims.ServiceAccount.Uid,
            Groups = [AllServiceAccountsGroup, $"{AllServiceAccountsGroup}:{claims.Namespace}"],
            Extra = extra.Count > 0 ? extra : null,
        };
    }

    /// <summary>The user with <c>system:authenticated</c> appended, as API requests and TokenReview report it.</summary>
    public static UserInfo WithAuthenticatedGroup(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user with { Groups = [.. user.Groups ?? [], AuthenticatedGroup] };
    }
}
