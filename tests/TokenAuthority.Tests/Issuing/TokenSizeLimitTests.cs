using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>The issuer never mints a token the verifier (and the authentication handler) would not read.</summary>
public class TokenSizeLimitTests
{
    [Fact]
    public void AnAudienceListThatMakesTheTokenTooLongIsInvalid()
    {
        using var authority = new TestAuthority();
        var audiences = Enumerable.Range(0, 1000).Select(i => $"https://audience-{i}.example.com").ToArray();

        var error = authority.Create(new TokenRequestSpec { Audiences = audiences }).Error!;

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
        Assert.Equal(
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.audiences: Invalid value: 1000: the audiences make the token longer than 16384 characters; request fewer or shorter audiences",
            error.Message);
        Assert.Equal("spec.audiences", Assert.Single(error.Details!.Causes!).Field);
    }

    [Fact]
    public void ALongButFittingAudienceListIsIssuedAndVerifies()
    {
        using var authority = new TestAuthority();
        var audiences = Enumerable.Range(0, 300).Select(i => $"https://audience-{i}.example.com").ToArray();

        var token = authority.Create(new TokenRequestSpec { Audiences = audiences }).Response!.Status.Token;

        Assert.True(authority.Verify(token, audiences[^1]).Succeeded);
    }
}
