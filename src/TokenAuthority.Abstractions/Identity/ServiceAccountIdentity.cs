using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using TokenAuthority.Claims;
using TokenAuthority.Model;

namespace TokenAuthority.Identity;

/// <summary>
/// Who called with a verified bound service-account token: the service account, its groups and Kubernetes extras, the
/// object the token is bound to, the node, the credential id and the audiences this service accepted. The same on every
/// path: built from the verified claims (<see cref="FromClaims"/>) where the token is verified, and rebuilt from a
/// TokenReview's <c>status.user</c> (<see cref="TryFromUserInfo"/>) where the authority verified it.
/// </summary>
public sealed record ServiceAccountIdentity
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra =
        new ReadOnlyDictionary<string, IReadOnlyList<string>>(new Dictionary<string, IReadOnlyList<string>>());

    private ServiceAccountIdentity()
    {
    }

    /// <summary>The service account's namespace.</summary>
    public string Namespace { get; private init; } = string.Empty;

    /// <summary>The service account's name.</summary>
    public string Name { get; private init; } = string.Empty;

    /// <summary>The service account's uid; empty when the authority reported none.</summary>
    public string Uid { get; private init; } = string.Empty;

    /// <summary>The username, <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public string Username => ServiceAccountUserInfo.Username(Namespace, Name);

    /// <summary>
    /// The groups as the API server reports them: <c>system:serviceaccounts</c>, <c>system:serviceaccounts:&lt;namespace&gt;</c>
    /// and <c>system:authenticated</c> (and any other group a remote authority reported).
    /// </summary>
    public IReadOnlyList<string> Groups { get; private init; } = [];

    /// <summary>
    /// The <c>extra</c> of the user, keys sorted: Kubernetes' pod, node and credential-id keys, the
    /// <c>authentication.tokenauthority.io/bound-object-*</c> keys for secrets and registered kinds, and any other key a
    /// remote authority reported.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; private init; } = NoExtra;

    /// <summary>The object the token is bound to (a pod, secret, node or registered kind); null for an unbound token.</summary>
    public ObjectIdentity? BoundObject { get; private init; }

    /// <summary>The node: the one a node-bound token is bound to, or the bound pod's node; null otherwise.</summary>
    public ObjectIdentity? Node { get; private init; }

    /// <summary>The credential id, <c>JTI=&lt;jti&gt;</c>; null when the token has no <c>jti</c>.</summary>
    public string? CredentialId { get; private init; }

    /// <summary>The token's audiences that this service accepted, ordered like the accepted list.</summary>
    public IReadOnlyList<string> Audiences { get; private init; } = [];

    /// <summary>The identity of verified claims, for the audiences that were accepted.</summary>
    /// <param name="claims">Claims whose signature, issuer, audience, lifetime (and, where possible, bound objects) were verified.</param>
    /// <param name="audiences">The token's audiences that were accepted.</param>
    /// <returns>The identity.</returns>
    public static ServiceAccountIdentity FromClaims(ServiceAccountTokenClaims claims, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(audiences);
        var (bound, node) = ServiceAccountTokenBinding.Read(claims);

        // A node without a name is reported nowhere (Kubernetes writes no extra for it), so it is not part of the identity.
        node = node is { Name.Length: > 0 } ? node : null;
        var credentialId = string.IsNullOrEmpty(claims.Id) ? null : "JTI=" + claims.Id;
        var extra = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        // Kubernetes' keys (spec §3.2), present only when non-empty, exactly as kube-apiserver writes them.
        if (bound is { Kind: Binding.BoundObjectKinds.Pod } pod && !string.IsNullOrEmpty(pod.Name) && !string.IsNullOrEmpty(pod.Uid))
        {
            extra[ServiceAccountUserInfo.PodNameExtra] = [pod.Name];
            extra[ServiceAccountUserInfo.PodUidExtra] = [pod.Uid];
        }

        if (node is not null)
        {
            extra[ServiceAccountUserInfo.NodeNameExtra] = [node.Name];
            if (!string.IsNullOrEmpty(node.Uid))
            {
                extra[ServiceAccountUserInfo.NodeUidExtra] = [node.Uid];
            }
        }

        if (credentialId is not null)
        {
            extra[ServiceAccountUserInfo.CredentialIdExtra] = [credentialId];
        }

        // Ours, only where Kubernetes says nothing: a pod- or node-bound user stays byte for byte Kubernetes'.
        if (bound is not null && !ServiceAccountTokenBinding.HasKubernetesExtras(bound.Kind))
        {
            extra[ServiceAccountUserInfo.BoundObjectKindExtra] = [bound.Kind];
            extra[ServiceAccountUserInfo.BoundObjectNameExtra] = [bound.Name];
            if (!string.IsNullOrEmpty(bound.Uid))
            {
                extra[ServiceAccountUserInfo.BoundObjectUidExtra] = [bound.Uid];
            }
        }

        return new ServiceAccountIdentity
        {
            Namespace = claims.Namespace,
            Name = claims.ServiceAccount.Name,
            Uid = claims.ServiceAccount.Uid,
            Groups = [ServiceAccountUserInfo.AllServiceAccountsGroup, ServiceAccountUserInfo.NamespaceGroup(claims.Namespace), ServiceAccountUserInfo.AuthenticatedGroup],
            Extra = extra.Count == 0 ? NoExtra : new ReadOnlyDictionary<string, IReadOnlyList<string>>(extra),
            BoundObject = bound,
            Node = node,
            CredentialId = credentialId,
            Audiences = [.. audiences],
        };
    }

    /// <summary>
    /// Rebuilds the identity from a TokenReview's <c>status.user</c>: the service account from the username, the bound
    /// pod from Kubernetes' pod extras, a bound node from its node extras (without pod extras), a secret or registered kind
    /// from the <c>authentication.tokenauthority.io/bound-object-*</c> extras. <c>system:authenticated</c> is added when
    /// missing, as the API server's group adder does. False when the user is not a service account, or its extras
    /// contradict each other (a pod and another binding, a name without its uid, a key with several values).
    /// </summary>
    /// <param name="user">The reviewed user.</param>
    /// <param name="audiences">The token's audiences that were accepted.</param>
    /// <param name="identity">The identity, when the user is a consistent service account.</param>
    /// <returns>Whether <paramref name="identity"/> was rebuilt.</returns>
    public static bool TryFromUserInfo(UserInfo user, IReadOnlyList<string> audiences, [NotNullWhen(true)] out ServiceAccountIdentity? identity)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(audiences);
        identity = null;
        if (!ServiceAccountUserInfo.TryParseUsername(user.Username, out var ns, out var name))
        {
            return false;
        }

        var extra = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in user.Extra ?? NoExtra)
        {
            if (key is null || values is null || values.Any(v => v is null))
            {
                return false;
            }

            extra[key] = [.. values];
        }

        if (!TryOne(extra, ServiceAccountUserInfo.PodNameExtra, out var podName)
            || !TryOne(extra, ServiceAccountUserInfo.PodUidExtra, out var podUid)
            || !TryOne(extra, ServiceAccountUserInfo.NodeNameExtra, out var nodeName)
            || !TryOne(extra, ServiceAccountUserInfo.NodeUidExtra, out var nodeUid)
            || !TryOne(extra, ServiceAccountUserInfo.CredentialIdExtra, out var credentialId)
            || !TryOne(extra, ServiceAccountUserInfo.BoundObjectKindExtra, out var kind)
            || !TryOne(extra, ServiceAccountUserInfo.BoundObjectNameExtra, out var boundName)
            || !TryOne(extra, ServiceAccountUserInfo.BoundObjectUidExtra, out var boundUid))
        {
            return false;
        }

        // Each name comes with what belongs to it, and nothing comes without its name.
        if ((podName is null) != (podUid is null) || (nodeName is null && nodeUid is not null)
            || (kind is null) != (boundName is null) || (kind is null && boundUid is not null))
        {
            return false;
        }

        var node = nodeName is null ? null : new ObjectIdentity(ServiceAccountTokenBinding.Node, nodeName, nodeUid ?? string.Empty);
        ObjectIdentity? bound;
        if (kind is not null)
        {
            // Pods and nodes are reported in Kubernetes' keys only; ours next to a pod would be two bindings.
            if (podName is not null || ServiceAccountTokenBinding.HasKubernetesExtras(kind))
            {
                return false;
            }

            bound = new ObjectIdentity(kind, boundName!, boundUid ?? string.Empty);
        }
        else
        {
            bound = podName is not null ? new ObjectIdentity(ServiceAccountTokenBinding.Pod, podName, podUid!) : node;
        }

        var groups = user.Groups ?? [];
        if (groups.Any(g => g is null))
        {
            return false;
        }

        identity = new ServiceAccountIdentity
        {
            Namespace = ns,
            Name = name,
            Uid = user.Uid ?? string.Empty,
            Groups = groups.Contains(ServiceAccountUserInfo.AuthenticatedGroup, StringComparer.Ordinal)
                ? [.. groups]
                : [.. groups, ServiceAccountUserInfo.AuthenticatedGroup],
            Extra = extra.Count == 0 ? NoExtra : new ReadOnlyDictionary<string, IReadOnlyList<string>>(extra),
            BoundObject = bound,
            Node = node,
            CredentialId = credentialId,
            Audiences = [.. audiences],
        };
        return true;
    }

    /// <summary>
    /// The user as TokenReview's <c>status.user</c> reports it: for unbound, pod- and node-bound tokens exactly
    /// kube-apiserver's (username, uid, groups with <c>system:authenticated</c>, the pod, node and credential-id extras);
    /// for secrets and registered kinds also the <c>authentication.tokenauthority.io/bound-object-*</c> extras.
    /// </summary>
    /// <returns>A new <see cref="UserInfo"/>.</returns>
    public UserInfo ToUserInfo() => new()
    {
        Username = Username,
        Uid = string.IsNullOrEmpty(Uid) ? null : Uid,
        Groups = Groups,
        Extra = Extra.Count == 0 ? null : Extra,
    };

    /// <summary>Equal when every member is, lists and extras compared by their contents.</summary>
    /// <param name="other">The other identity.</param>
    /// <returns>Whether both describe the same caller.</returns>
    public bool Equals(ServiceAccountIdentity? other) =>
        other is not null
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(Uid, other.Uid, StringComparison.Ordinal)
        && Groups.SequenceEqual(other.Groups, StringComparer.Ordinal)
        && Extra.Count == other.Extra.Count
        && Extra.All(e => other.Extra.TryGetValue(e.Key, out var values) && e.Value.SequenceEqual(values, StringComparer.Ordinal))
        && BoundObject == other.BoundObject
        && Node == other.Node
        && string.Equals(CredentialId, other.CredentialId, StringComparison.Ordinal)
        && Audiences.SequenceEqual(other.Audiences, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, Name, Uid, BoundObject, CredentialId);

    private static bool TryOne(SortedDictionary<string, IReadOnlyList<string>> extra, string key, out string? value)
    {
        value = null;
        if (!extra.TryGetValue(key, out var values))
        {
            return true;
        }

        if (values.Count != 1 || values[0].Length == 0)
        {
            return false;
        }

        value = values[0];
        return true;
    }
}
