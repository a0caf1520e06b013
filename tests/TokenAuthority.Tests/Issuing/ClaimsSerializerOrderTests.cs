using System.Text.Json;
using TokenAuthority.Claims;

namespace TokenAuthority.Tests.Issuing;

/// <summary>
/// The <c>kubernetes.io</c> claim is written as Go writes a map: members sorted by name, whatever the bound object's
/// member is called, and a member that shares a fixed member's name written once (the later assignment wins).
/// </summary>
public class ClaimsSerializerOrderTests
{
    private static readonly ObjectReferenceClaim Sa = new("builder", "sa-uid");
    private static readonly ObjectReferenceClaim Node = new("n1", "node-uid");

    [Theory]
    [InlineData(null, false, false, "namespace,serviceaccount")]
    [InlineData("pod", true, true, "namespace,node,pod,serviceaccount,warnafter")]
    [InlineData("pod", true, false, "namespace,node,pod,serviceaccount")]
    [InlineData("secret", false, false, "namespace,secret,serviceaccount")]
    [InlineData("node", false, false, "namespace,node,serviceaccount")]
    [InlineData("a", false, true, "a,namespace,serviceaccount,warnafter")]
    [InlineData("namespacf", true, false, "namespace,namespacf,node,serviceaccount")]
    [InlineData("servicf", false, true, "namespace,serviceaccount,servicf,warnafter")]
    [InlineData("zz", true, true, "namespace,node,serviceaccount,warnafter,zz")]
    [InlineData("namespace", false, false, "namespace,serviceaccount")]
    [InlineData("serviceaccount", false, false, "namespace,serviceaccount")]
    [InlineData("node", true, false, "namespace,node,serviceaccount")]
    [InlineData("warnafter", false, true, "namespace,serviceaccount,warnafter")]
    [InlineData("warnafter", false, false, "namespace,serviceaccount,warnafter")]
    public void PrivateMembersAreSortedAndWrittenOnce(string? boundName, bool node, bool warnAfter, string expected)
    {
        var bound = boundName is null ? null : new BoundObjectClaim(boundName, "Thing", new ObjectReferenceClaim("thing-1", "thing-uid"));
        var claims = new ServiceAccountTokenClaims
        {
            Issuer = "https://issuer.example.com",
            Subject = "system:serviceaccount:default:builder",
            Namespace = "default",
            ServiceAccount = Sa,
            BoundObject = bound,
            Node = node ? Node : null,
            WarnAfter = warnAfter ? 1_700_000_000 : null,
        };

        using var json = JsonDocument.Parse(ClaimsSerializer.Serialize(claims));
        var names = json.RootElement.GetProperty("kubernetes.io").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(expected, string.Join(',', names));
        // Which value a shared name carries: the binding replaces namespace and serviceaccount; node and warnafter replace it.
        var k8s = json.RootElement.GetProperty("kubernetes.io");
        if (boundName is "namespace" or "serviceaccount")
        {
            Assert.Equal("thing-1", k8s.GetProperty(boundName).GetProperty("name").GetString());
        }

        if (boundName == "node" && node)
        {
            Assert.Equal("n1", k8s.GetProperty("node").GetProperty("name").GetString());
        }

        if (boundName == "warnafter" && warnAfter)
        {
            Assert.Equal(1_700_000_000, k8s.GetProperty("warnafter").GetInt64());
        }
    }
}
