using System.Text.Json;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Identity;

/// <summary>
/// The one model of who called: built from verified claims, written as TokenReview's <c>status.user</c> (Kubernetes' own
/// for pod, node and unbound tokens; with our three keys for secrets and registered kinds), and rebuilt from it.
/// </summary>
public class ServiceAccountIdentityTests
{
    private const string Jti = "4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11";
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly BoundObjectKind Workflow = new() { Kind = "Workflow", Group = "example.com", Resource = "workflows" };

    private static TestAuthority NewAuthority()
    {
        var authority = new TestAuthority(o => o.BoundObjectKinds.Add(Workflow));
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        authority.Store.Set(new BoundObject { Kind = "Workflow", Namespace = "default", Name = "wf-1", Uid = "wf-uid" });
        return authority;
    }

    private static ServiceAccountIdentity Verify(ServiceAccountTokenClaims claims)
    {
        using var authority = NewAuthority();
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), claims), "api", "other");
        Assert.True(result.Succeeded, result.Error);
        return result.Identity!;
    }

    private static ServiceAccountTokenClaims Base() => TokenForge.Claims(Now, 3600, "other", "api");

    [Fact]
    public void A_pod_bound_user_is_kube_apiservers_byte_for_byte()
    {
        var identity = Verify(Base() with { BoundObject = BoundObjectClaim.For(BoundObjectKind.Pod, new("web-0", "pod-uid")), Node = new("n1", "node-uid") });

        // spec §4's success example, for this token: extra keys sorted, our keys absent.
        Assert.Equal(
            """{"username":"system:serviceaccount:default:builder","uid":"sa-uid-1","groups":["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"],"extra":{"authentication.kubernetes.io/credential-id":["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"],"authentication.kubernetes.io/node-name":["n1"],"authentication.kubernetes.io/node-uid":["node-uid"],"authentication.kubernetes.io/pod-name":["web-0"],"authentication.kubernetes.io/pod-uid":["pod-uid"]}}""",
            JsonSerializer.Serialize(identity.ToUserInfo(), KubernetesJsonContext.Default.UserInfo));
        Assert.Equal(new ObjectIdentity("Pod", "web-0", "pod-uid"), identity.BoundObject);
        Assert.Equal(new ObjectIdentity("Node", "n1", "node-uid"), identity.Node);
        Assert.Equal(("default", "builder", "sa-uid-1", "system:serviceaccount:default:builder"), (identity.Namespace, identity.Name, identity.Uid, identity.Username));
        Assert.Equal("JTI=" + Jti, identity.CredentialId);
        Assert.Equal(["api", "other"], identity.Audiences);
    }

    public static TheoryData<string, ServiceAccountTokenClaims, ObjectIdentity?, ObjectIdentity?, string> Bindings => new()
    {
        {
            "unbound", Base(), null, null,
            """{"authentication.kubernetes.io/credential-id":["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"]}"""
        },
        {
            "node", Base() with { BoundObject = BoundObjectClaim.For(BoundObjectKind.Node, new("n1", "node-uid")) }, new("Node", "n1", "node-uid"), new("Node", "n1", "node-uid"),
            """{"authentication.kubernetes.io/credential-id":["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"],"authentication.kubernetes.io/node-name":["n1"],"authentication.kubernetes.io/node-uid":["node-uid"]}"""
        },
        {
            "secret", Base() with { BoundObject = BoundObjectClaim.For(BoundObjectKind.Secret, new("s1", "secret-uid")) }, new("Secret", "s1", "secret-uid"), null,
            """{"authentication.kubernetes.io/credential-id":["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"],"authentication.tokenauthority.io/bound-object-kind":["Secret"],"authentication.tokenauthority.io/bound-object-name":["s1"],"authentication.tokenauthority.io/bound-object-uid":["secret-uid"]}"""
        },
        {
            "registered kind", Base() with { BoundObject = new("workflow", "Workflow", new("wf-1", "wf-uid")) }, new("Workflow", "wf-1", "wf-uid"), null,
            """{"authentication.kubernetes.io/credential-id":["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"],"authentication.tokenauthority.io/bound-object-kind":["Workflow"],"authentication.tokenauthority.io/bound-object-name":["wf-1"],"authentication.tokenauthority.io/bound-object-uid":["wf-uid"]}"""
        },
    };

    [Theory]
    [MemberData(nameof(Bindings))]
    public void Each_binding_is_reported_in_exactly_one_set_of_extra_keys(string binding, ServiceAccountTokenClaims claims, ObjectIdentity? bound, ObjectIdentity? node, string extra)
    {
        var identity = Verify(claims);

        Assert.Equal(bound, identity.BoundObject);
        Assert.Equal(node, identity.Node);
        Assert.True(extra == JsonSerializer.Serialize(identity.ToUserInfo().Extra, KubernetesJsonContext.Default.IReadOnlyDictionaryStringIReadOnlyListString), binding);
        Assert.True(ServiceAccountIdentity.TryFromUserInfo(identity.ToUserInfo(), identity.Audiences, out var rebuilt));
        Assert.Equal(identity, rebuilt);
    }

    [Fact]
    public void Kube_apiservers_answer_rebuilds_the_pod_binding()
    {
        // spec §4's success example, as kube-apiserver writes it.
        var review = JsonSerializer.Deserialize(
            """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"t","audiences":["api"]},"status":{"authenticated":true,"user":{"username":"system:serviceaccount:myns:mysvcacct","uid":"mysvcacct-uid","groups":["system:serviceaccounts","system:serviceaccounts:myns","system:authenticated"],"extra":{"authentication.kubernetes.io/credential-id":["JTI=fixed"],"authentication.kubernetes.io/pod-name":["mypod"],"authentication.kubernetes.io/pod-uid":["mypod-uid"]}},"audiences":["api"]}}""",
            KubernetesJsonContext.Default.TokenReview)!;

        Assert.True(ServiceAccountIdentity.TryFromUserInfo(review.Status.User, ["api"], out var identity));
        Assert.Equal(("myns", "mysvcacct", "mysvcacct-uid"), (identity.Namespace, identity.Name, identity.Uid));
        Assert.Equal(new ObjectIdentity("Pod", "mypod", "mypod-uid"), identity.BoundObject);
        Assert.Null(identity.Node);
        Assert.Equal("JTI=fixed", identity.CredentialId);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:myns", "system:authenticated"], identity.Groups);
        Assert.Equal(
            JsonSerializer.Serialize(review.Status.User, KubernetesJsonContext.Default.UserInfo),
            JsonSerializer.Serialize(identity.ToUserInfo(), KubernetesJsonContext.Default.UserInfo));
    }

    [Fact]
    public void A_node_reported_without_a_pod_is_the_binding_and_groups_get_system_authenticated_as_the_group_adder_adds_it()
    {
        var user = new UserInfo
        {
            Username = "system:serviceaccount:kube-system:node-agent",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:kube-system"],
            Extra = new Dictionary<string, IReadOnlyList<string>> { [ServiceAccountUserInfo.NodeNameExtra] = ["n1"] },
        };

        Assert.True(ServiceAccountIdentity.TryFromUserInfo(user, ["api"], out var identity));
        Assert.Equal(new ObjectIdentity("Node", "n1", string.Empty), identity.BoundObject);
        Assert.Equal(identity.BoundObject, identity.Node);
        Assert.Equal(string.Empty, identity.Uid);
        Assert.Null(identity.CredentialId);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"], identity.Groups);
    }

    [Fact]
    public void Other_extras_a_remote_authority_reports_are_kept()
    {
        var user = new UserInfo
        {
            Username = "system:serviceaccount:shop:web",
            Uid = "u1",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"],
            Extra = new Dictionary<string, IReadOnlyList<string>> { ["example.com/team"] = ["blue", "green"] },
        };

        Assert.True(ServiceAccountIdentity.TryFromUserInfo(user, ["orders"], out var identity));
        Assert.Null(identity.BoundObject);
        Assert.Equal(["blue", "green"], identity.Extra["example.com/team"]);
        Assert.True(ServiceAccountIdentity.TryFromUserInfo(identity.ToUserInfo(), ["orders"], out var again));
        Assert.Equal(identity, again);
    }

    public static TheoryData<string, string?, Dictionary<string, IReadOnlyList<string>>?> Refused => new()
    {
        { "not a service account", "alice", null },
        { "three parts", "system:serviceaccount:a:b:c", null },
        { "namespace not a label", "system:serviceaccount:A:b", null },
        { "no username", null, null },
        { "pod name without pod uid", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.PodNameExtra] = ["p"] } },
        { "pod uid without pod name", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.PodUidExtra] = ["u"] } },
        { "node uid without node name", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.NodeUidExtra] = ["u"] } },
        { "two pod names", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.PodNameExtra] = ["p", "q"], [ServiceAccountUserInfo.PodUidExtra] = ["u"] } },
        { "an empty pod name", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.PodNameExtra] = [""], [ServiceAccountUserInfo.PodUidExtra] = ["u"] } },
        { "our kind without a name", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.BoundObjectKindExtra] = ["Secret"] } },
        { "our name without a kind", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.BoundObjectNameExtra] = ["s"] } },
        { "our uid without a kind", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.BoundObjectUidExtra] = ["u"] } },
        {
            "our binding next to a pod", "system:serviceaccount:a:b", new()
            {
                [ServiceAccountUserInfo.PodNameExtra] = ["p"], [ServiceAccountUserInfo.PodUidExtra] = ["u"],
                [ServiceAccountUserInfo.BoundObjectKindExtra] = ["Secret"], [ServiceAccountUserInfo.BoundObjectNameExtra] = ["s"],
            }
        },
        { "a pod in our keys", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.BoundObjectKindExtra] = ["Pod"], [ServiceAccountUserInfo.BoundObjectNameExtra] = ["p"] } },
        { "a node in our keys", "system:serviceaccount:a:b", new() { [ServiceAccountUserInfo.BoundObjectKindExtra] = ["Node"], [ServiceAccountUserInfo.BoundObjectNameExtra] = ["n"] } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_user_that_is_no_service_account_or_whose_extras_contradict_each_other_is_not_rebuilt(string reason, string? username, Dictionary<string, IReadOnlyList<string>>? extra)
    {
        var user = new UserInfo { Username = username, Uid = "u", Groups = ["system:serviceaccounts"], Extra = extra };

        Assert.False(ServiceAccountIdentity.TryFromUserInfo(user, ["api"], out var identity), reason);
        Assert.Null(identity);
    }

    [Theory]
    [InlineData("system:serviceaccount:ns:name", true, "ns", "name")]
    [InlineData("system:serviceaccount:ns:name.with.dots", true, "ns", "name.with.dots")]
    [InlineData("system:serviceaccount:ns:name:extra", false, "", "")]
    [InlineData("system:serviceaccount::name", false, "", "")]
    [InlineData("system:serviceaccount:ns:", false, "", "")]
    [InlineData("system:serviceaccount:ns.dot:name", false, "", "")]
    [InlineData("system:serviceaccount:ns:Name", false, "", "")]
    [InlineData("system:serviceaccounts:ns", false, "", "")]
    [InlineData("admin", false, "", "")]
    [InlineData(null, false, "", "")]
    public void Usernames_split_as_kubernetes_SplitUsername_does(string? username, bool ok, string ns, string name)
    {
        Assert.Equal(ok, ServiceAccountUserInfo.TryParseUsername(username, out var parsedNs, out var parsedName));
        Assert.Equal((ns, name), (parsedNs, parsedName));
    }

    [Fact]
    public void Identities_are_equal_by_content_and_differ_by_any_member()
    {
        var pod = Base() with { BoundObject = BoundObjectClaim.For(BoundObjectKind.Pod, new("web-0", "pod-uid")), Node = new("n1", "node-uid") };
        var a = ServiceAccountIdentity.FromClaims(pod, ["api"]);
        var b = ServiceAccountIdentity.FromClaims(pod, ["api"]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ServiceAccountIdentity.FromClaims(pod, ["other"]));
        Assert.NotEqual(a, ServiceAccountIdentity.FromClaims(pod with { Id = "another" }, ["api"]));
        Assert.NotEqual(a, ServiceAccountIdentity.FromClaims(pod with { Node = new("n1", "other-node-uid") }, ["api"]));
        Assert.NotEqual(a, ServiceAccountIdentity.FromClaims(pod with { Namespace = "other" }, ["api"]));
    }

    [Fact]
    public void A_payload_is_read_by_the_verifiers_rules()
    {
        var token = TokenForge.Sign(TokenForge.RsaKey(), Base() with { BoundObject = new("workflow", "Workflow", new("wf-1", "wf-uid")) });
        var payload = TokenForge.DecodePart(token, 1);

        Assert.True(ServiceAccountTokenClaims.TryParse(payload, [Workflow], out var claims, out var unknown));
        Assert.Null(unknown);
        Assert.Equal(new BoundObjectClaim("workflow", "Workflow", new("wf-1", "wf-uid")), claims.BoundObject);

        // Without the kind, the binding is one nobody can check; a name given twice, or not JSON, is no payload.
        Assert.False(ServiceAccountTokenClaims.TryParse(payload, null, out _, out unknown));
        Assert.Equal("workflow", unknown);
        Assert.False(ServiceAccountTokenClaims.TryParse("""{"iss":"a","iss":"b"}""", null, out _, out unknown));
        Assert.Null(unknown);
        Assert.False(ServiceAccountTokenClaims.TryParse("""{"iss":"a","kubernetes.io":{"pod":"web-0"}}""", null, out _, out _));
        Assert.False(ServiceAccountTokenClaims.TryParse("not json", null, out _, out _));
        Assert.False(ServiceAccountTokenClaims.TryParse("""{"iss":"\ud800"}""", null, out _, out _));
    }
}
