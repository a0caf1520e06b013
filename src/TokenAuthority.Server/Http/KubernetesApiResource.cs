namespace TokenAuthority.Server.Http;

/// <summary>
/// A resource of the core API group (<c>/api/v1</c>) that the host serves itself next to the authority, listed in the
/// <c>/api/v1</c> discovery document (an <c>APIResource</c>) so that kubectl knows it: <c>kubectl get pods</c>,
/// <c>kubectl create serviceaccount</c> and so on. Add it to <see cref="TokenAuthorityEndpointOptions.CoreResources"/>.
/// Discovery only describes the resource; the host maps its endpoints (e.g. <c>/api/v1/namespaces/{namespace}/pods</c>).
/// </summary>
public sealed class KubernetesApiResource
{
    /// <summary>The plural resource name as it appears in URLs, e.g. <c>pods</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The singular name, e.g. <c>pod</c>; defaults to the kind in lower case.</summary>
    public string? SingularName { get; init; }

    /// <summary>The kind of one object, e.g. <c>Pod</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Whether objects live in a namespace (<c>/api/v1/namespaces/{namespace}/{name}</c>).</summary>
    public bool Namespaced { get; init; }

    /// <summary>
    /// The verbs the host implements, among <c>create</c>, <c>delete</c>, <c>deletecollection</c>, <c>get</c>,
    /// <c>list</c>, <c>patch</c>, <c>update</c> and <c>watch</c>. List only what really works: kubectl relies on it.
    /// </summary>
    public required IReadOnlyList<string> Verbs { get; init; }

    /// <summary>The short names kubectl accepts, e.g. <c>po</c> for pods; none by default.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];
}
