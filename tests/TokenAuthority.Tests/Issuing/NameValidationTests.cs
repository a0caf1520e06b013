using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>
/// Names outside Kubernetes' rules are never issued, whatever the resolver answers (issue #8, finding 8): otherwise
/// <c>system:serviceaccount:a:b:c</c> could be namespace <c>a</c>, account <c>b:c</c> or namespace <c>a:b</c>, account <c>c</c>.
/// </summary>
public class NameValidationTests
{
    private static (TestAuthority Authority, PermissiveResolver Resolver) NewAuthority()
    {
        var resolver = new PermissiveResolver();
        return (new TestAuthority(resolver: _ => resolver), resolver);
    }

    [Theory]
    [InlineData("a", "b:c")]
    [InlineData("a:b", "c")]
    [InlineData("Default", "builder")]
    [InlineData("default", "Builder")]
    [InlineData("default", "-builder")]
    [InlineData("default", "builder/x")]
    [InlineData("", "builder")]
    [InlineData("a.b", "builder")]
    [InlineData("default", "b\u0131lder")]
    public void AnInvalidServiceAccountNameIsNotFoundWithoutAskingTheResolver(string ns, string name)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.Asked.Clear();

        var result = authority.Create(new TokenRequest(), ns, name);

        Assert.False(result.Succeeded);
        TokenRequestValidationTests.AssertError(result.Error, 404, "NotFound", $"serviceaccounts \"{name}\" not found",
            new StatusDetails { Name = name, Kind = "serviceaccounts" });
        Assert.Empty(resolver.Asked);
    }

    [Fact]
    public void LongestValidNamesAreIssued()
    {
        var (authority, _) = NewAuthority();
        using var __ = authority;
        var ns = new string('n', 63);
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];

        Assert.True(authority.Create(new TokenRequest(), ns, name).Succeeded);
        Assert.False(authority.Create(new TokenRequest(), ns + "n", "builder").Succeeded);
    }

    [Theory]
    [InlineData("Pod", "pods", "web_0")]
    [InlineData("Secret", "secrets", "S1")]
    [InlineData("Node", "nodes", "node:1")]
    public void AnInvalidBoundObjectNameIsNotFound(string kind, string resource, string name)
    {
        var (authority, _) = NewAuthority();
        using var __ = authority;

        var result = authority.Create(new TokenRequestSpec { BoundObjectRef = new BoundObjectReference { Kind = kind, ApiVersion = "v1", Name = name } });

        Assert.False(result.Succeeded);
        Assert.Equal(404, result.Error.Code);
        Assert.Equal($"{resource} \"{name}\" not found", result.Error.Message);
    }
}
