using TokenAuthority.Binding;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>A resource the objects API serves: its URL segment, kind, list kind and scope.</summary>
/// <param name="Plural">The URL segment and resource name in messages, e.g. <c>pods</c>.</param>
/// <param name="Kind">The kind, e.g. <c>Pod</c>.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
internal sealed record ObjectResource(string Plural, string Kind, bool Namespaced)
{
    public static readonly ObjectResource ServiceAccounts = new("serviceaccounts", BoundObjectKinds.ServiceAccount, Namespaced: true);

    public static readonly ObjectResource Pods = new("pods", BoundObjectKinds.Pod, Namespaced: true);

    public static readonly ObjectResource Secrets = new("secrets", BoundObjectKinds.Secret, Namespaced: true);

    public static readonly ObjectResource Nodes = new("nodes", BoundObjectKinds.Node, Namespaced: false);

    public static IReadOnlyList<ObjectResource> All { get; } = [ServiceAccounts, Pods, Secrets, Nodes];

    /// <summary>The kind of a list, e.g. <c>PodList</c>.</summary>
    public string ListKind => Kind + "List";
}
