using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary><c>"audiences":[null]</c> is decoded as Go decodes it (the empty audience), not answered with a 500.</summary>
public sealed class NullAudienceEndpointTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    [Fact]
    public async Task ANullAudienceInATokenRequestIsNotAServerError()
    {
        using var client = fixture.Server.CreateClient();

        using var response = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", """{"spec":{"audiences":["a",null]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ANullAudienceInATokenReviewIsNotAServerError()
    {
        var issued = await fixture.Server.Services.GetRequiredService<ITokenIssuer>().CreateTokenAsync(
            "default", "builder", new TokenRequest { Spec = new TokenRequestSpec { Audiences = ["api"] } });
        using var client = fixture.Server.CreateClient();

        using var response = await client.PostJsonAsync(
            "/apis/authentication.k8s.io/v1/tokenreviews", $$$"""{"spec":{"token":"{{{issued.Response!.Status.Token}}}","audiences":[null]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("is invalid for the target audiences [\\\"\\\"]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
