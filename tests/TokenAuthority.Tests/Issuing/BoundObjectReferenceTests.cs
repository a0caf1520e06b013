using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>Spec §1.6: which objects a token may be bound to, and the error for every other reference.</summary>
public class BoundObjectReferenceTests
{
    private static TestAuthority NewAuthority()
    {
        var authority = new TestAuthority();
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        authority.Store.AddPod("default", "db-0", "database", null, "db-pod-uid");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        authority.Store.AddSecret("elsewhere", "s2", "secret-uid-2");
        return authority;
    }

    public static TheoryData<string?, string?, string?, string?, int, string, string, StatusDetails?> RefErrors => new()
    {
        { "Pod", "v1", "missing", null, 404, "NotFound", "pods \"missing\" not found", new StatusDetails { Name = "missing", Kind = "pods" } },
        { "Secret", "v1", "missing", null, 404, "NotFound", "secrets \"missing\" not found", new StatusDetails { Name = "missing", Kind = "secrets" } },
        { "Secret", "v1", "s2", null, 404, "NotFound", "secrets \"s2\" not found", new StatusDetails { Name = "s2", Kind = "secrets" } },
        { "Node", "v1", "missing", null, 404, "NotFound", "nodes \"missing\" not found", new StatusDetails { Name = "missing", Kind = "nodes" } },
        { "Pod", "v1", "", null, 400, "BadRequest", "Name parameter required.", null },
        { "Pod", "v1", null, null, 400, "BadRequest", "Name parameter required.", null },
        { "Secret", "v1", "", null, 400, "BadRequest", "Name parameter required.", null },
        { "Node", "v1", "", null, 400, "BadRequest", "Name parameter required.", null },
        { "Pod", "v1", "db-0", null, 400, "BadRequest", "cannot bind token for serviceaccount \"builder\" to pod running with different serviceaccount name.", null },
        { "ConfigMap", "v1", "cm", null, 400, "BadRequest", "cannot bind token to object of type /v1, Kind=ConfigMap", null },
        { "ConfigMap", "v1", "", null, 400, "BadRequest", "cannot bind token to object of type /v1, Kind=ConfigMap", null },
        { "Pod", "apps/v1", "web-0", null, 400, "BadRequest", "cannot bind token to object of type apps/v1, Kind=Pod", null },
        { "pod", "v1", "web-0", null, 400, "BadRequest", "cannot bind token to object of type /v1, Kind=pod", null },
        { null, "v1", "web-0", null, 400, "BadRequest", "cannot bind token to object of type /v1, Kind=", null },
        { "ServiceAccount", "v1", "builder", null, 400, "BadRequest", "cannot bind token to object of type /v1, Kind=ServiceAccount", null },
        {
            "Pod", "v1", "web-0", "old-pod-uid", 409, "Conflict",
            "Operation cannot be fulfilled on Pod \"web-0\": the UID in the bound object reference (old-pod-uid) does not match the UID in record. The object might have been deleted and then recreated",
            new StatusDetails { Name = "web-0", Kind = "Pod" }
        },
        {
            "Secret", "v1", "s1", "old-secret-uid", 409, "Conflict",
            "Operation cannot be fulfilled on Secret \"s1\": the UID in the bound object reference (old-secret-uid) does not match the UID in record. The object might have been deleted and then recreated",
            new StatusDetails { Name = "s1", Kind = "Secret" }
        },
        {
            "Node", "v2", "n1", "old-node-uid", 409, "Conflict",
            "Operation cannot be fulfilled on Node \"n1\": the UID in the bound object reference (old-node-uid) does not match the UID in record. The object might have been deleted and then recreated",
            new StatusDetails { Name = "n1", Kind = "Node" }
        },
    };

    [Theory]
    [MemberData(nameof(RefErrors))]
    public void UnusableReferencesFailWithKubernetesErrors(string? kind, string? apiVersion, string? name, string? uid, int code, string reason, string message, StatusDetails? details)
    {
        using var authority = NewAuthority();
        var result = authority.Create(new TokenRequestSpec { BoundObjectRef = new BoundObjectReference { Kind = kind, ApiVersion = apiVersion, Name = name, Uid = uid } });

        Assert.False(result.Succeeded);
        TokenRequestValidationTests.AssertError(result.Error, code, reason, message, details);
    }

    [Theory]
    [InlineData("Pod", "v1", "web-0", null, "pod")]
    [InlineData("Pod", "v2", "web-0", "pod-uid", "pod")]
    [InlineData("Pod", "", "web-0", null, "pod")]
    [InlineData("Pod", null, "web-0", null, "pod")]
    [InlineData("Pod", "a/b/c", "web-0", null, "pod")]
    [InlineData("Secret", "v1", "s1", "secret-uid", "secret")]
    [InlineData("Node", "v1", "n1", "", "node")]
    public void UsableReferencesBindTheToken(string kind, string? apiVersion, string name, string? uid, string claim)
    {
        using var authority = NewAuthority();
        var result = authority.Create(new TokenRequestSpec { BoundObjectRef = new BoundObjectReference { Kind = kind, ApiVersion = apiVersion, Name = name, Uid = uid } });

        Assert.True(result.Succeeded, result.Error?.Message);
        var bound = TokenForge.Payload(result.Response.Status.Token).GetProperty("kubernetes.io").GetProperty(claim);
        Assert.Equal(name, bound.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(bound.GetProperty("uid").GetString()));

        // The response echoes the reference as requested (the live uid is not filled in).
        Assert.Equal(uid, result.Response.Spec.BoundObjectRef!.Uid);
    }
}
