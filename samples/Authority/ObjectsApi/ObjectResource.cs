using TokenAuthority.Binding;
using TokenAuthority.Server.Http;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>A resource the objects API serves: its URL segment, kind, list kind and scope.</summary>
/// <param name="Plural">The URL segment and resource name in messages, e.g. <c>pods</c>.</param>
/// <param name="Kind">The kind, e.g. <c>Pod</c>.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="ShortName">kube-apiserver's short name (<c>kubectl get po</c>), if it has one.</param>
internal sealed record ObjectResource(string Plural, string Kind, bool Namespaced, string? ShortName)
{
    public static readonly ObjectResource ServiceAccounts = new("serviceaccounts", BoundObjectKinds.ServiceAccount, Namespaced: true, "sa");

    public static readonly ObjectResource Pods = new("pods", BoundObjectKinds.Pod, Namespaced: true, "po");

    public static readonly ObjectResource Secrets = new("secrets", BoundObjectKinds.Secret, Namespaced: true, ShortName: null);

    public static readonly ObjectResource Nodes = new("nodes", BoundObjectKinds.Node, Namespaced: false, "no");

    public static IReadOnlyList<ObjectResource> All { get; } = [ServiceAccounts, Pods, Secrets, Nodes];

    /// <summary>
    /// Namespaces are implicit (any valid name can hold objects): only <c>GET /api/v1/namespaces/{name}</c> is served, for
    /// kubectl, which asks for the namespace after a NotFound. Not in <see cref="All"/> and not in discovery.
    /// </summary>
    public static readonly ObjectResource Namespaces = new("namespaces", "Namespace", Namespaced: false, "ns");

    /// <summary>The kind of a list, e.g. <c>PodList</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary>The resource as <c>/api/v1</c> discovery lists it, with the verbs the objects API implements.</summary>
    public KubernetesApiResource ToApiResource() => new()
    {
        Name = Plural,
        SingularName = Kind.ToLowerInvariant(),
        Kind = Kind,
        Namespaced = Namespaced,
        Verbs = ["create", "delete", "get", "list"],
        ShortNames = ShortName is null ? [] : [ShortName],
    };
}
