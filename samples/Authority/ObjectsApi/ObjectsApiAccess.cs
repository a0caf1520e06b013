using TokenAuthority.Errors;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// Endpoint metadata of the objects API: which resource and Kubernetes verb an endpoint serves, so that a denied
/// caller gets the API server's 403 text (<c>pods "web-0" is forbidden: User "token-reviewer" cannot delete resource "pods" …</c>).
/// </summary>
/// <param name="Resource">The resource.</param>
/// <param name="Verb">The Kubernetes verb: <c>create</c>, <c>list</c>, <c>get</c> or <c>delete</c>.</param>
internal sealed record ObjectsApiAccess(ObjectResource Resource, string Verb)
{
    /// <summary>The 403 kube-apiserver's authorizer answers when <paramref name="user"/> may not use this endpoint.</summary>
    public KubernetesError Forbidden(string user, string? @namespace, string? name) =>
        KubernetesError.AuthorizationDenied(user, Verb, Resource.Plural, null, null, Resource.Namespaced ? @namespace ?? string.Empty : null, name);
}
