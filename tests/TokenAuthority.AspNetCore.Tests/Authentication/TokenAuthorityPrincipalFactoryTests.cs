using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Identity;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The one principal builder, from an identity rebuilt from a reviewed user (the TokenReview path).</summary>
public sealed class TokenAuthorityPrincipalFactoryTests
{
    private static ServiceAccountIdentity Rebuild(UserInfo user)
    {
        Assert.True(ServiceAccountIdentity.TryFromUserInfo(user, ["orders"], out var identity));
        return identity;
    }

    [Fact]
    public void Extra_keys_cannot_overwrite_the_reserved_claims_and_other_extras_pass_through()
    {
        var identity = Rebuild(new UserInfo
        {
            Username = "system:serviceaccount:shop:web",
            Uid = "u1",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"],
            Extra = new Dictionary<string, IReadOnlyList<string>>
            {
                ["username"] = ["system:serviceaccount:kube-system:admin"],
                ["kubernetes.io/namespace"] = ["kube-system"],
                ["kubernetes.io/bound-object-kind"] = ["Pod"],
                ["authentication.kubernetes.io/node-name"] = ["n1"],
                ["example.com/team"] = ["blue"],
            },
        });

        var principal = TokenAuthorityPrincipalFactory.Create(identity, "TokenReview", "https://a.example.com");

        Assert.Equal("system:serviceaccount:shop:web", Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Username)).Value);
        Assert.Equal("shop", Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Namespace)).Value);
        Assert.Equal("blue", principal.FindFirst("example.com/team")?.Value);
        Assert.Equal("Node", Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.BoundObjectKind)).Value);
        Assert.Equal("n1", principal.FindFirst(TokenAuthorityClaimTypes.BoundObjectName)?.Value);
        Assert.Null(principal.FindFirst(TokenAuthorityClaimTypes.BoundObjectUid));
        Assert.Single(principal.FindAll(TokenAuthorityClaimTypes.Group), c => c.Value == "system:authenticated");
        Assert.True(principal.IsInRole("system:serviceaccounts:shop"));
        Assert.Equal("system:serviceaccount:shop:web", principal.Identity?.Name);
        Assert.All(principal.Claims, c => Assert.Equal("https://a.example.com", c.Issuer));
    }

    [Fact]
    public void A_secret_binding_becomes_the_bound_object_claims_and_its_extras_are_not_repeated()
    {
        var identity = Rebuild(new UserInfo
        {
            Username = "system:serviceaccount:shop:web",
            Uid = "u1",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"],
            Extra = new Dictionary<string, IReadOnlyList<string>>
            {
                [ServiceAccountUserInfo.CredentialIdExtra] = ["JTI=j1"],
                [ServiceAccountUserInfo.BoundObjectKindExtra] = ["Secret"],
                [ServiceAccountUserInfo.BoundObjectNameExtra] = ["creds"],
                [ServiceAccountUserInfo.BoundObjectUidExtra] = ["secret-uid"],
            },
        });

        var principal = TokenAuthorityPrincipalFactory.Create(identity, "TokenReview", "https://a.example.com");

        Assert.Equal(
            [
                ("username", "system:serviceaccount:shop:web"),
                ("uid", "u1"),
                ("kubernetes.io/namespace", "shop"),
                ("kubernetes.io/serviceaccount/name", "web"),
                ("groups", "system:serviceaccounts"),
                ("groups", "system:serviceaccounts:shop"),
                ("groups", "system:authenticated"),
                ("aud", "orders"),
                ("kubernetes.io/bound-object-kind", "Secret"),
                ("kubernetes.io/bound-object-name", "creds"),
                ("kubernetes.io/bound-object-uid", "secret-uid"),
                ("authentication.kubernetes.io/credential-id", "JTI=j1"),
            ],
            principal.Claims.Select(c => (c.Type, c.Value)));
    }
}
