using TokenAuthority.Claims;
using TokenAuthority.Binding;
using TokenAuthority.Model;
using TokenAuthority.Tests.Issuing;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Binding;

/// <summary>Host-registered kinds bind and invalidate tokens the way Pod, Secret and Node do.</summary>
public class CustomBoundObjectKindTests
{
    private static readonly BoundObjectKind Workflow = new() { Kind = "Workflow", Group = "example.com", Resource = "workflows" };
    private static readonly BoundObjectKind Cluster = new() { Kind = "Cluster", Group = "example.com", Resource = "clusters", Namespaced = false, ClaimName = "acluster" };

    private static TestAuthority NewAuthority()
    {
        var authority = new TestAuthority(o => { o.BoundObjectKinds.Add(Workflow); o.BoundObjectKinds.Add(Cluster); });
        authority.Store.Set(new BoundObject { Kind = "Workflow", Namespace = "default", Name = "wf-1", Uid = "wf-uid" });
        authority.Store.Set(new BoundObject { Kind = "Cluster", Name = "c1", Uid = "cluster-uid" });
        return authority;
    }

    private static TokenRequestSpec Spec(string kind, string apiVersion, string name, string? uid = null) =>
        new() { Audiences = ["api"], BoundObjectRef = new BoundObjectReference { Kind = kind, ApiVersion = apiVersion, Name = name, Uid = uid } };

    [Theory]
    [InlineData("Workflow", "wf-1", """{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"},"workflow":{"name":"wf-1","uid":"wf-uid"}}""")]
    [InlineData("Cluster", "c1", """{"acluster":{"name":"c1","uid":"cluster-uid"},"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    public void ARegisteredKindBindsTheTokenUnderItsClaimName(string kind, string name, string expected)
    {
        using var authority = NewAuthority();
        var result = authority.Create(Spec(kind, "example.com/v1", name));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(expected, TokenForge.Payload(result.Response.Status.Token).GetProperty("kubernetes.io").GetRawText());
        Assert.True(authority.Verify(result.Response.Status.Token, "api").Succeeded);
    }

    public static TheoryData<TokenRequestSpec, int, string, string, StatusDetails?> Errors => new()
    {
        { Spec("Workflow", "example.com/v1", "missing"), 404, "NotFound", "workflows.example.com \"missing\" not found", new StatusDetails { Name = "missing", Group = "example.com", Kind = "workflows" } },
        { Spec("Workflow", "v1", "wf-1"), 400, "BadRequest", "cannot bind token to object of type /v1, Kind=Workflow", null },
        { Spec("Workflow", "other.com/v1", "wf-1"), 400, "BadRequest", "cannot bind token to object of type other.com/v1, Kind=Workflow", null },
        { Spec("Workflow", "example.com/v1", ""), 400, "BadRequest", "Name parameter required.", null },
        {
            Spec("Workflow", "example.com/v1", "wf-1", "old"), 409, "Conflict",
            "Operation cannot be fulfilled on Workflow.example.com \"wf-1\": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated",
            new StatusDetails { Name = "wf-1", Group = "example.com", Kind = "Workflow" }
        },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void UnusableReferencesToRegisteredKindsFail(TokenRequestSpec spec, int code, string reason, string message, StatusDetails? details)
    {
        using var authority = NewAuthority();
        var result = authority.Create(spec);

        Assert.False(result.Succeeded);
        TokenRequestValidationTests.AssertError(result.Error, code, reason, message, details);
    }

    [Fact]
    public void RemovingOrRecreatingTheObjectInvalidatesTheToken()
    {
        using var authority = NewAuthority();
        var workflowToken = authority.Create(Spec("Workflow", "example.com/v1", "wf-1")).Response!.Status.Token;
        var clusterToken = authority.Create(Spec("Cluster", "example.com/v1", "c1")).Response!.Status.Token;

        authority.Store.Set(new BoundObject { Kind = "Workflow", Namespace = "default", Name = "wf-1", Uid = "new-wf-uid" });
        authority.Store.Remove(new BoundObjectKey("Cluster", null, "c1"));
        var recreated = authority.Verify(workflowToken, "api");
        var removed = authority.Verify(clusterToken, "api");

        Assert.Equal(TokenVerificationFailure.BoundObjectUidMismatch, recreated.Failure);
        Assert.Equal("workflow UID does not match service account workflow ref claim (wf-uid)", recreated.Error);
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, removed.Failure);
        Assert.Equal("service account token has been invalidated", removed.Error);
    }

    [Fact]
    public void ARegisteredKindThatRunsAsAServiceAccountOnANodeIsBoundLikeAPod()
    {
        // One registration gives a kind every rule a pod has: the account must match, the node is recorded.
        var runner = new BoundObjectKind { Kind = "Runner", Group = "ci.example.com", Resource = "runners", HasServiceAccount = true, HasNode = true };
        using var authority = new TestAuthority(o => o.BoundObjectKinds.Add(runner));
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.Set(new BoundObject { Kind = "Runner", Namespace = "default", Name = "r1", Uid = "runner-uid", ServiceAccountName = "builder", NodeName = "n1" });
        authority.Store.Set(new BoundObject { Kind = "Runner", Namespace = "default", Name = "r2", Uid = "runner-uid-2", ServiceAccountName = "other" });

        var bound = authority.Create(Spec("Runner", "ci.example.com/v1", "r1"));
        var foreign = authority.Create(Spec("Runner", "ci.example.com/v1", "r2"));

        Assert.True(bound.Succeeded, bound.Error?.Message);
        Assert.Equal(
            """{"namespace":"default","node":{"name":"n1","uid":"node-uid"},"runner":{"name":"r1","uid":"runner-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""",
            TokenForge.Payload(bound.Response.Status.Token).GetProperty("kubernetes.io").GetRawText());
        var verified = authority.Verify(bound.Response.Status.Token, "api");
        Assert.True(verified.Succeeded, verified.Error);
        Assert.Equal(new BoundObjectClaim("runner", "Runner", new ObjectReferenceClaim("r1", "runner-uid")), verified.Claims!.BoundObject);
        Assert.Equal(new ObjectReferenceClaim("n1", "node-uid"), verified.Claims.Node);
        Assert.False(foreign.Succeeded);
        Assert.Equal("cannot bind token for serviceaccount \"builder\" to runner running with different serviceaccount name.", foreign.Error.Message);
    }

    [Fact]
    public void TheBuiltInKindsAreDescribedByTheSameTable()
    {
        Assert.Equal(["Pod", "Secret", "Node"], BoundObjectKind.BuiltIn.Select(k => k.Kind));
        Assert.Equal(["pod", "secret", "node"], BoundObjectKind.BuiltIn.Select(k => k.EffectiveClaimName));
        Assert.Equal([true, true, false], BoundObjectKind.BuiltIn.Select(k => k.Namespaced));
        Assert.True(BoundObjectKind.Pod.HasServiceAccount && BoundObjectKind.Pod.HasNode);
        Assert.False(BoundObjectKind.Secret.HasServiceAccount || BoundObjectKind.Secret.HasNode || BoundObjectKind.Node.HasNode);
    }
}
