using TokenAuthority.Identity;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>Spec §3.1: every verification error text, and which check wins when several fail.</summary>
public class VerificationErrorTests
{
    private const string Issuer = TestAuthority.Issuer;
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();
    private static readonly ObjectReferenceClaim Pod = new("web-0", "pod-uid");
    private static readonly ObjectReferenceClaim Secret = new("s1", "secret-uid");
    private static readonly ObjectReferenceClaim Node = new("n1", "node-uid");

    private static TestAuthority NewAuthority(Action<TokenAuthorityOptions>? configure = null)
    {
        var authority = new TestAuthority(configure);
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        return authority;
    }

    private static BoundObjectClaim PodBinding(ObjectReferenceClaim r) => BoundObjectClaim.For(BoundObjectKind.Pod, r);

    private static BoundObjectClaim SecretBinding(ObjectReferenceClaim r) => BoundObjectClaim.For(BoundObjectKind.Secret, r);

    private static BoundObjectClaim NodeBinding(ObjectReferenceClaim r) => BoundObjectClaim.For(BoundObjectKind.Node, r);

    private static ServiceAccountTokenClaims Base(params string[] audiences) => TokenForge.Claims(Now, 3600, audiences);

    private static void Deleted(InMemoryBoundObjectResolver store, string kind, string? ns, string name, int secondsAgo) =>
        store.MarkDeleted(new BoundObjectKey(kind, ns, name), Now.AddSeconds(-secondsAgo));

    public static TheoryData<string, ServiceAccountTokenClaims, string[]?, Action<InMemoryBoundObjectResolver>?, TokenVerificationFailure, string> Failures => new()
    {
        // Audiences (Go-style %q lists).
        { "audience", Base("a", "b"), ["c"], null, TokenVerificationFailure.InvalidAudience, "token audiences [\"a\" \"b\"] is invalid for the target audiences [\"c\"]" },
        { "audience vs API audiences", Base("a"), null, null, TokenVerificationFailure.InvalidAudience, $"token audiences [\"a\"] is invalid for the target audiences [\"{Issuer}\"]" },
        { "legacy token without aud vs other audiences", Base() with { Audiences = [] }, ["c", "d"], null, TokenVerificationFailure.InvalidAudience, $"token audiences [\"{Issuer}\"] is invalid for the target audiences [\"c\" \"d\"]" },
        { "audience with quotes", Base("a\"b"), ["c"], null, TokenVerificationFailure.InvalidAudience, "token audiences [\"a\\\"b\"] is invalid for the target audiences [\"c\"]" },

        // Time claims, 60 s leeway, nbf then exp then iat.
        { "not valid yet", Base("api") with { NotBefore = T + 61 }, ["api"], null, TokenVerificationFailure.NotYetValid, "service account token is not valid yet" },
        { "expired", Base("api") with { IssuedAt = T - 7200, NotBefore = T - 7200, Expires = T - 61 }, ["api"], null, TokenVerificationFailure.Expired, "service account token has expired" },
        { "issued in the future", Base("api") with { IssuedAt = T + 61, NotBefore = null }, ["api"], null, TokenVerificationFailure.IssuedInFuture, "service account token is issued in the future" },
        { "audience wins over expiry", Base("api") with { Expires = T - 3600 }, ["other"], null, TokenVerificationFailure.InvalidAudience, "token audiences [\"api\"] is invalid for the target audiences [\"other\"]" },
        { "nbf wins over exp", Base("api") with { NotBefore = T + 100, Expires = T - 100 }, ["api"], null, TokenVerificationFailure.NotYetValid, "service account token is not valid yet" },
        { "exp wins over iat", Base("api") with { IssuedAt = T + 100, NotBefore = null, Expires = T - 100 }, ["api"], null, TokenVerificationFailure.Expired, "service account token has expired" },
        { "expiry wins over a missing account", Base("api") with { Expires = T - 100, ServiceAccount = new("ghost", "x") }, ["api"], null, TokenVerificationFailure.Expired, "service account token has expired" },

        // The service account.
        { "account not found", Base("api") with { ServiceAccount = new("ghost", "sa-uid-1") }, ["api"], null, TokenVerificationFailure.ServiceAccountNotFound, "serviceaccounts \"ghost\" not found" },
        { "account in another namespace", Base("api") with { Namespace = "other" }, ["api"], null, TokenVerificationFailure.ServiceAccountNotFound, "serviceaccounts \"builder\" not found" },
        { "account recreated", Base("api") with { ServiceAccount = new("builder", "old-uid") }, ["api"], null, TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID does not match claim (old-uid)" },
        { "account deleted", Base("api"), ["api"], s => Deleted(s, BoundObjectKinds.ServiceAccount, "default", "builder", 61), TokenVerificationFailure.ServiceAccountDeleted, "service account default/builder has been deleted" },
        { "account uid mismatch wins over deletion", Base("api") with { ServiceAccount = new("builder", "old-uid") }, ["api"], s => Deleted(s, BoundObjectKinds.ServiceAccount, "default", "builder", 600), TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID does not match claim (old-uid)" },
        { "account checks precede bound objects", Base("api") with { ServiceAccount = new("builder", "old-uid"), BoundObject = PodBinding(new("gone", "x")) }, ["api"], null, TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID does not match claim (old-uid)" },

        // Secret.
        { "secret missing", Base("api") with { BoundObject = SecretBinding(new("gone", "x")) }, ["api"], null, TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },
        { "secret recreated", Base("api") with { BoundObject = SecretBinding(new("s1", "old-secret-uid")) }, ["api"], null, TokenVerificationFailure.BoundObjectUidMismatch, "secret UID does not match service account secret ref claim (old-secret-uid)" },
        { "secret deleted", Base("api") with { BoundObject = SecretBinding(Secret) }, ["api"], s => Deleted(s, BoundObjectKinds.Secret, "default", "s1", 61), TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },

        // Pod.
        { "pod missing", Base("api") with { BoundObject = PodBinding(new("gone", "x")) }, ["api"], null, TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },
        { "pod recreated", Base("api") with { BoundObject = PodBinding(new("web-0", "old-pod-uid")) }, ["api"], null, TokenVerificationFailure.BoundObjectUidMismatch, "pod UID does not match service account pod ref claim (old-pod-uid)" },
        { "pod deleted", Base("api") with { BoundObject = PodBinding(Pod) }, ["api"], s => Deleted(s, BoundObjectKinds.Pod, "default", "web-0", 61), TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },
        { "pod uid mismatch wins over deletion", Base("api") with { BoundObject = PodBinding(new("web-0", "old-pod-uid")) }, ["api"], s => Deleted(s, BoundObjectKinds.Pod, "default", "web-0", 600), TokenVerificationFailure.BoundObjectUidMismatch, "pod UID does not match service account pod ref claim (old-pod-uid)" },

        // Node-bound.
        { "node missing", Base("api") with { BoundObject = NodeBinding(new("gone", "x")) }, ["api"], null, TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },
        { "node recreated", Base("api") with { BoundObject = NodeBinding(new("n1", "old-node-uid")) }, ["api"], null, TokenVerificationFailure.BoundObjectUidMismatch, "node UID does not match service account node ref claim (old-node-uid)" },
        { "node deleted", Base("api") with { BoundObject = NodeBinding(Node) }, ["api"], s => Deleted(s, BoundObjectKinds.Node, null, "n1", 61), TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void VerificationFailsWithTheKubernetesText(
        string situation, ServiceAccountTokenClaims claims, string[]? audiences, Action<InMemoryBoundObjectResolver>? arrange, TokenVerificationFailure failure, string error)
    {
        using var authority = NewAuthority();
        arrange?.Invoke(authority.Store);
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), claims), audiences ?? []);

        Assert.Equal(error, result.Error);
        Assert.Equal(failure, result.Failure);
        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
        Assert.Equal($"[invalid bearer token, {error}]", result.ReviewError);
        Assert.Null(result.User);
        Assert.False(string.IsNullOrEmpty(situation));
    }

    public static TheoryData<string, ServiceAccountTokenClaims, Action<InMemoryBoundObjectResolver>?> Successes => new()
    {
        { "nbf 60 s ahead", Base("api") with { NotBefore = T + 60 }, null },
        { "exp 60 s ago", Base("api") with { IssuedAt = T - 7200, NotBefore = T - 7200, Expires = T - 60 }, null },
        { "iat 60 s ahead", Base("api") with { IssuedAt = T + 60, NotBefore = null }, null },
        { "no exp, nbf or iat", Base("api") with { IssuedAt = null, NotBefore = null, Expires = null }, null },
        { "account deleted 60 s ago", Base("api"), s => Deleted(s, BoundObjectKinds.ServiceAccount, "default", "builder", 60) },
        { "account deletion in the future", Base("api"), s => Deleted(s, BoundObjectKinds.ServiceAccount, "default", "builder", -600) },
        { "secret deleted 60 s ago", Base("api") with { BoundObject = SecretBinding(Secret) }, s => Deleted(s, BoundObjectKinds.Secret, "default", "s1", 60) },
        { "pod deleted 60 s ago", Base("api") with { BoundObject = PodBinding(Pod) }, s => Deleted(s, BoundObjectKinds.Pod, "default", "web-0", 60) },
        { "node deleted 60 s ago", Base("api") with { BoundObject = NodeBinding(Node) }, s => Deleted(s, BoundObjectKinds.Node, null, "n1", 60) },
        { "a pod's node is not looked up", Base("api") with { BoundObject = PodBinding(Pod), Node = new("gone", "old-node-uid") }, null },
        { "a pod's deleted node is not looked up", Base("api") with { BoundObject = PodBinding(Pod), Node = Node }, s => s.Remove(new BoundObjectKey(BoundObjectKinds.Node, null, "n1")) },
    };

    [Theory]
    [MemberData(nameof(Successes))]
    public void EdgesThatStillVerify(string situation, ServiceAccountTokenClaims claims, Action<InMemoryBoundObjectResolver>? arrange)
    {
        using var authority = NewAuthority();
        arrange?.Invoke(authority.Store);
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), claims), "api");

        Assert.True(result.Succeeded, $"{situation}: {result.Error}");
        Assert.Null(result.ReviewError);
    }

    [Fact]
    public void ExpiryIsComparedWithTheFullClockNotTheWholeSecond()
    {
        // go-jose: expired when now - 60 s is after exp; at exp + 60.5 s it is.
        using var authority = NewAuthority();
        var token = TokenForge.Sign(TokenForge.RsaKey(), Base("api") with { IssuedAt = T - 7200, NotBefore = T - 7200, Expires = T - 60 });
        var atTheSecond = authority.Verify(token, "api");
        authority.Clock.Advance(TimeSpan.FromMilliseconds(500));
        var halfASecondLater = authority.Verify(token, "api");

        Assert.True(atTheSecond.Succeeded, atTheSecond.Error);
        Assert.Equal("service account token has expired", halfASecondLater.Error);
    }

    [Fact]
    public void ALegacyTokenWithoutAudiencesVerifiesForTheApiAudiences()
    {
        using var authority = NewAuthority();
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), Base() with { Audiences = [] }));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([Issuer], result.Audiences);
    }

    [Fact]
    public void EveryAcceptedIssuerVerifiesAndOthersAreNotRecognised()
    {
        using var authority = NewAuthority(o => o.AcceptedIssuers.Add("https://old-issuer.example.com"));
        var old = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), Base("api") with { Issuer = "https://old-issuer.example.com" }), "api");
        var foreign = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), Base("api") with { Issuer = "https://foreign.example.com" }), "api");

        Assert.True(old.Succeeded, old.Error);
        Assert.Equal(TokenVerificationOutcome.NotRecognized, foreign.Outcome);
        Assert.Null(foreign.Error);
        Assert.Equal("invalid bearer token", foreign.ReviewError);
    }

    [Fact]
    public void TheUserCarriesPodNodeAndCredentialExtras()
    {
        using var authority = NewAuthority();
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), Base("api") with { BoundObject = PodBinding(Pod), Node = Node }), "api");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("system:serviceaccount:default:builder", result.User!.Username);
        Assert.Equal("sa-uid-1", result.User.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], result.User.Groups);
        Assert.Equal(
            [
                "authentication.kubernetes.io/credential-id",
                "authentication.kubernetes.io/node-name",
                "authentication.kubernetes.io/node-uid",
                "authentication.kubernetes.io/pod-name",
                "authentication.kubernetes.io/pod-uid",
            ],
            result.User.Extra!.Keys);
        Assert.Equal(["JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11"], result.User.Extra["authentication.kubernetes.io/credential-id"]);
        Assert.Equal(["web-0"], result.User.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal(["n1"], result.User.Extra["authentication.kubernetes.io/node-name"]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], result.User.Groups);
    }

    [Fact]
    public void ASecretBoundTokenHasNoKubernetesExtraButTheCredentialIdAndTheBindingInOurOwnKeys()
    {
        using var authority = NewAuthority();
        var result = authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), Base("api") with { BoundObject = SecretBinding(Secret) }), "api");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [
                "authentication.kubernetes.io/credential-id",
                "authentication.tokenauthority.io/bound-object-kind",
                "authentication.tokenauthority.io/bound-object-name",
                "authentication.tokenauthority.io/bound-object-uid",
            ],
            result.User!.Extra!.Keys);
        Assert.Equal(["Secret"], result.User.Extra["authentication.tokenauthority.io/bound-object-kind"]);
        Assert.Equal([Secret.Name], result.User.Extra["authentication.tokenauthority.io/bound-object-name"]);
        Assert.Equal([Secret.Uid], result.User.Extra["authentication.tokenauthority.io/bound-object-uid"]);
    }
}
