using TokenAuthority.Binding;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>
/// A token bound to something the verifier cannot check is refused, never taken for a plain service-account token
/// that would outlive its object (issue #8, finding 2).
/// </summary>
public class UnknownBindingTests
{
    private static readonly BoundObjectKind Workflow = new() { Kind = "Workflow", Group = "example.com", Resource = "workflows" };
    private static readonly BoundObjectKind Job = new() { Kind = "Job", Group = "example.com", Resource = "jobs" };
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static TestAuthority NewAuthority(params BoundObjectKind[] kinds)
    {
        var authority = new TestAuthority(o => { foreach (var k in kinds) { o.BoundObjectKinds.Add(k); } });
        authority.Store.Set(new BoundObject { Kind = "Workflow", Namespace = "default", Name = "wf-1", Uid = "wf-uid" });
        authority.Store.Set(new BoundObject { Kind = "Job", Namespace = "default", Name = "job-1", Uid = "job-uid" });
        authority.Store.AddPod("default", "web-0", "builder", uid: "pod-uid");
        return authority;
    }

    private static string SignedPrivateClaim(string privateClaimJson)
    {
        var t = Now.ToUnixTimeSeconds();
        var payload = $$"""{"aud":["api"],"exp":{{t + 3600}},"iat":{{t}},"iss":"{{TestAuthority.Issuer}}","kubernetes.io":{{privateClaimJson}},"nbf":{{t}},"sub":"system:serviceaccount:default:builder"}""";
        var key = TokenForge.RsaKey();
        return TokenForge.SignRaw(key, TokenForge.Header(key), payload);
    }

    [Fact]
    public void ATokenOfAKindNoLongerRegisteredIsRefused()
    {
        string token;
        using (var before = NewAuthority(Workflow))
        {
            var issued = before.Create(new TokenRequestSpec
            {
                Audiences = ["api"],
                BoundObjectRef = new BoundObjectReference { Kind = "Workflow", ApiVersion = "example.com/v1", Name = "wf-1" },
            });
            token = issued.Response!.Status.Token;
            Assert.True(before.Verify(token, "api").Succeeded);
        }

        // Same key and issuer, but the host no longer registers Workflow (or renamed it): the binding cannot be checked.
        using var after = NewAuthority();
        var result = after.Verify(token, "api");

        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
        Assert.Equal(TokenVerificationFailure.UnknownBinding, result.Failure);
        Assert.Equal("service account token is bound to an object this authority cannot check (\"workflow\")", result.Error);
    }

    public static TheoryData<string, string, TokenVerificationFailure, string> Cases => new()
    {
        {
            "an unregistered object member",
            """{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"thing":{"name":"t","uid":"u"}}""",
            TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"thing\")"
        },
        {
            "an unregistered array member",
            """{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"things":[{"name":"t","uid":"u"}]}""",
            TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"things\")"
        },
        {
            "two registered bindings",
            """{"job":{"name":"job-1","uid":"job-uid"},"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"workflow":{"name":"wf-1","uid":"wf-uid"}}""",
            TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"workflow\")"
        },
        {
            "a pod and a secret",
            """{"namespace":"default","pod":{"name":"web-0","uid":"pod-uid"},"secret":{"name":"s1","uid":"secret-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""",
            TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"secret\")"
        },
        {
            "a secret with a node",
            """{"namespace":"default","node":{"name":"n1","uid":"node-uid"},"secret":{"name":"s1","uid":"secret-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""",
            TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"secret\")"
        },
        {
            "a pod reference that is not an object",
            """{"namespace":"default","pod":"web-0","serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""",
            TokenVerificationFailure.InvalidSignature, "service account token claims could not be validated due to unexpected private claim"
        },
        {
            "a registered kind's reference that is not an object",
            """{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"workflow":"wf-1"}""",
            TokenVerificationFailure.InvalidSignature, "service account token claims could not be validated due to unexpected private claim"
        },
        {
            "a private claim that is not an object",
            "\"default/builder\"",
            TokenVerificationFailure.InvalidSignature, "service account token claims could not be validated due to unexpected private claim"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BindingsTheVerifierCannotCheckAreRefused(string name, string privateClaim, TokenVerificationFailure failure, string error)
    {
        using var authority = NewAuthority(Workflow, Job);
        var result = authority.Verify(SignedPrivateClaim(privateClaim), "api");

        Assert.True(result.Outcome == TokenVerificationOutcome.Rejected, name);
        Assert.Equal(failure, result.Failure);
        Assert.Equal(error, result.Error);
    }

    [Theory]
    [InlineData("""{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"warnafter":null,"future":"scalar"}""")]
    [InlineData("""{"namespace":"default","pod":null,"serviceaccount":{"name":"builder","uid":"sa-uid-1"},"workflow":null}""")]
    public void NullReferencesAndUnknownScalarsStayAsKubernetesReadsThem(string privateClaim)
    {
        // Go decodes null into an absent pointer and ignores unknown scalar fields: those tokens are plain tokens.
        using var authority = NewAuthority(Workflow);
        var result = authority.Verify(SignedPrivateClaim(privateClaim), "api");

        Assert.True(result.Succeeded, result.Error);
    }
}
