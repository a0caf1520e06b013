using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Authorization;

/// <summary>
/// The service-account policies compare the namespace and name claims, never the joined username, and refuse
/// names no token can carry (issue #8, finding 8).
/// </summary>
public class ServiceAccountPolicyTests
{
    private static async Task<bool> AuthorizeAsync(AuthorizationPolicy policy, params (string Type, string Value)[] claims)
    {
        using var services = new ServiceCollection().AddLogging().AddAuthorization().BuildServiceProvider();
        var identity = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test", TokenAuthorityClaimTypes.Username, TokenAuthorityClaimTypes.Group);
        var result = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(new ClaimsPrincipal(identity), policy);
        return result.Succeeded;
    }

    [Theory]
    [InlineData("a", "b:c")]
    [InlineData("a:b", "c")]
    [InlineData("Shop", "web")]
    [InlineData("shop", "")]
    [InlineData("", "web")]
    public void APolicyForANameNoTokenCanCarryIsRefusedWhenBuilt(string ns, string name) =>
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireServiceAccount(ns, name));

    [Fact]
    public void ANamespacePolicyForAnInvalidNamespaceIsRefusedWhenBuilt() =>
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireNamespace("a:b"));

    [Fact]
    public async Task TheServiceAccountPolicyReadsTheNamespaceAndNameClaims()
    {
        var policy = new AuthorizationPolicyBuilder().RequireServiceAccount("shop", "web").Build();

        Assert.True(await AuthorizeAsync(policy,
            (TokenAuthorityClaimTypes.Namespace, "shop"), (TokenAuthorityClaimTypes.ServiceAccountName, "web")));

        // A username alone (e.g. an ambiguous one the principal builder could not split) does not satisfy it.
        Assert.False(await AuthorizeAsync(policy, (TokenAuthorityClaimTypes.Username, "system:serviceaccount:shop:web")));
        Assert.False(await AuthorizeAsync(policy,
            (TokenAuthorityClaimTypes.Namespace, "shop"), (TokenAuthorityClaimTypes.ServiceAccountName, "other")));
        Assert.False(await AuthorizeAsync(policy,
            (TokenAuthorityClaimTypes.Namespace, "other"), (TokenAuthorityClaimTypes.ServiceAccountName, "web")));
    }
}
