using TokenAuthority.Model;

namespace TokenAuthority.Identity;

/// <summary>
/// The conventions of a service account's <see cref="UserInfo"/>, as Kubernetes has them
/// (k8s.io/apiserver <c>pkg/authentication/serviceaccount</c>): the username, the groups and the <c>extra</c> keys,
/// plus the three keys TokenAuthority adds for bindings Kubernetes reports nothing about (secrets and registered kinds).
/// </summary>
public static class ServiceAccountUserInfo
{
    /// <summary>The prefix of every service account's username.</summary>
    public const string UsernamePrefix = "system:serviceaccount:";

    /// <summary>The group every service account is in.</summary>
    public const string AllServiceAccountsGroup = "system:serviceaccounts";

    /// <summary>The group the API server adds to every authenticated user.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>Extra key: the bound pod's name (Kubernetes).</summary>
    public const string PodNameExtra = "authentication.kubernetes.io/pod-name";

    /// <summary>Extra key: the bound pod's uid (Kubernetes).</summary>
    public const string PodUidExtra = "authentication.kubernetes.io/pod-uid";

    /// <summary>Extra key: the node's name, for a node-bound token or the bound pod's node (Kubernetes).</summary>
    public const string NodeNameExtra = "authentication.kubernetes.io/node-name";

    /// <summary>Extra key: the node's uid (Kubernetes).</summary>
    public const string NodeUidExtra = "authentication.kubernetes.io/node-uid";

    /// <summary>Extra key: the credential id, <c>JTI=&lt;jti&gt;</c> (Kubernetes).</summary>
    public const string CredentialIdExtra = "authentication.kubernetes.io/credential-id";

    /// <summary>
    /// Extra key (TokenAuthority): the kind of the bound object, for bindings Kubernetes has no extra for
    /// (<c>Secret</c> and registered kinds). Never set for pod- or node-bound tokens, whose extras stay Kubernetes' own.
    /// </summary>
    public const string BoundObjectKindExtra = "authentication.tokenauthority.io/bound-object-kind";

    /// <summary>Extra key (TokenAuthority): the bound object's name, beside <see cref="BoundObjectKindExtra"/>.</summary>
    public const string BoundObjectNameExtra = "authentication.tokenauthority.io/bound-object-name";

    /// <summary>Extra key (TokenAuthority): the bound object's uid, beside <see cref="BoundObjectKindExtra"/>.</summary>
    public const string BoundObjectUidExtra = "authentication.tokenauthority.io/bound-object-uid";

    /// <summary>The username of a service account: <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    /// <param name="namespace">The service account's namespace.</param>
    /// <param name="name">The service account's name.</param>
    /// <returns>The username.</returns>
    public static string Username(string @namespace, string name) => $"{UsernamePrefix}{@namespace}:{name}";

    /// <summary>The group of the service accounts of a namespace: <c>system:serviceaccounts:&lt;namespace&gt;</c>.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <returns>The group name.</returns>
    public static string NamespaceGroup(string @namespace) => $"{AllServiceAccountsGroup}:{@namespace}";

    /// <summary>
    /// Splits a service account's username as Kubernetes' <c>SplitUsername</c> does: the prefix, then exactly a namespace
    /// (a DNS-1123 label) and a name (a DNS-1123 subdomain). False for any other username.
    /// </summary>
    /// <param name="username">The username.</param>
    /// <param name="namespace">The namespace, or empty.</param>
    /// <param name="name">The name, or empty.</param>
    /// <returns>Whether the username is a service account's.</returns>
    public static bool TryParseUsername(string? username, out string @namespace, out string name)
    {
        @namespace = name = string.Empty;
        if (username is null || !username.StartsWith(UsernamePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = username[UsernamePrefix.Length..].Split(':');
        if (parts.Length != 2 || !KubernetesNames.IsLabel(parts[0]) || !KubernetesNames.IsSubdomain(parts[1]))
        {
            return false;
        }

        (@namespace, name) = (parts[0], parts[1]);
        return true;
    }
}
