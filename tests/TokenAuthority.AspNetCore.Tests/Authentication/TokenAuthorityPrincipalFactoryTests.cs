using TokenAuthority.AspNetCore.Authentication;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The principal built from a reviewed user (the TokenReview path, where only the user is known).</summary>
public sealed class TokenAuthorityPrincipalFactoryTests
{
    [Fact]
    public void Extra_keys_cannot_overwrite_the_reserved_claims_and_other_extras_pass_through()
    {
        var user = new UserInfo
        {
            Username = "system:serviceaccount:shop:web",
            Uid = "u1",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"],
            Extra = new Dictionary<string, IReadOnlyList<string>>
            {
                ["username"] = ["system:serviceaccount:kube-system:admin"],
                ["kubernetes.io/namespace"] = ["kube-system"],
                ["authentication.kubernetes.io/node-name"] = ["n1"],
                ["example.com/team"] = ["blue"],
            },
        };
        Assert.True(ServiceAccountIdentity.TryFromUserInfo(user, ["orders"], out var identity));
        var result = new TokenVerificationResult { Outcome = TokenVerificationOutcome.Authenticated, Identity = identity, Audiences = ["orders"] };

        var principal = TokenAuthorityPrincipalFactory.Create(result, "TokenReview", "https://a.example.com");

        Assert.Equal("system:serviceaccount:shop:web", Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Username)).Value);
        Assert.Equal("shop", Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Namespace)).Value);
        Assert.Equal("blue", principal.FindFirst("example.com/team")?.Value);
        Assert.Equal("Node", principal.FindFirst(TokenAuthorityClaimTypes.BoundObjectKind)?.Value);
        Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Group), c => c.Value == "system:authenticated");
        Assert.True(principal.IsInRole("system:serviceaccounts:shop"));
        Assert.Equal("https://a.example.com", principal.FindFirst(TokenAuthorityClaimTypes.Uid)?.Issuer);
    }

    [Theory]
    [InlineData("system:serviceaccount:ns:name", true, "ns", "name")]
    [InlineData("system:serviceaccount:ns:name:extra", false, "", "")]
    [InlineData("system:serviceaccount::name", false, "", "")]
    [InlineData("system:serviceaccount:ns:", false, "", "")]
    [InlineData("admin", false, "", "")]
    [InlineData(null, false, "", "")]
    public void Parses_only_service_account_usernames(string? username, bool ok, string ns, string name)
    {
        Assert.Equal(ok, TokenAuthorityPrincipalFactory.TryParseServiceAccount(username, out var parsedNs, out var parsedName));
        Assert.Equal((ns, name), (parsedNs, parsedName));
    }
}
