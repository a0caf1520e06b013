using TokenAuthority.Identity;
using TokenAuthority.Samples.Authority.ObjectsApi;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>
/// What a service-account token may do on the objects API: <c>get</c> and <c>list</c> pods and service accounts in its
/// own namespace, nothing else. That is what Kubernetes' built-in <c>view</c> role grants on these resources when bound
/// in the account's namespace (<c>kubectl create rolebinding --clusterrole=view --serviceaccount=ns:name -n ns</c>):
/// <c>view</c> leaves out secrets, since reading one hands over the credentials it holds, and a role binding never
/// reaches cluster-scoped nodes. No writes; TokenRequest and TokenReview stay with the admin and reviewer tokens (their
/// policies), so a token cannot mint or review others. Kubernetes grants a service account nothing by default; this
/// sample grants the least that lets <c>kubectl create token</c> plus <c>curl</c> show an accepted token.
/// </summary>
internal static class ServiceAccountAccessRule
{
    private static readonly ObjectResource[] Readable = [ObjectResource.Pods, ObjectResource.ServiceAccounts];

    /// <summary>Whether <paramref name="caller"/> may use <paramref name="access"/> in <paramref name="namespace"/> (null: cluster scope).</summary>
    public static bool Allows(ServiceAccountIdentity caller, ObjectsApiAccess access, string? @namespace) =>
        access.Verb is "get" or "list"
        && Readable.Contains(access.Resource)
        && string.Equals(@namespace, caller.Namespace, StringComparison.Ordinal);
}
