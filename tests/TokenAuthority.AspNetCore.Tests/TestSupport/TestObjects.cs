using TokenAuthority.Binding;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>The objects every test app starts with: one small cluster, the same for the handler and HTTP tests.</summary>
public static class TestObjects
{
    public const string Namespace = "default";
    public const string ServiceAccountName = "builder";
    public const string ServiceAccountUid = "sa-uid-builder";
    public const string PodName = "web-0";
    public const string PodUid = "pod-uid-web-0";
    public const string NodeName = "node-1";

    /// <summary>The account that services present to the TokenReview endpoint (see <see cref="AuthorityServer.ReviewerToken"/>).</summary>
    public const string ReviewerNamespace = "kube-system";
    public const string ReviewerName = "token-reviewer";

    public static void Seed(InMemoryBoundObjectResolver store)
    {
        store.AddServiceAccount(Namespace, ServiceAccountName, ServiceAccountUid);
        store.AddServiceAccount("kube-system", "controller", "sa-uid-controller");
        store.AddServiceAccount(ReviewerNamespace, ReviewerName, "sa-uid-token-reviewer");
        store.AddPod(Namespace, PodName, ServiceAccountName, nodeName: NodeName, uid: PodUid);
        store.AddNode(NodeName, uid: "node-uid-1");
        store.AddSecret(Namespace, "creds", uid: "secret-uid-creds");
    }

    /// <summary>The seeded pod <c>default/web-0</c>.</summary>
    public static BoundObject Pod(InMemoryBoundObjectResolver store) =>
        store.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Pod, Namespace, PodName), default).AsTask().Result!;
}
