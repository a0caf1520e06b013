using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Clients;

/// <summary>Stock ASP.NET Core JwtBearer with <c>Authority</c> = the issuer verifies tokens through OIDC discovery over https.</summary>
public sealed class JwtBearerDiscoveryTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private AuthorityServer Server => fixture.Server;

    private async Task<WebApplication> StartResourceServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = Server.Issuer;
            o.Audience = "api";
            o.MapInboundClaims = false;
            o.BackchannelHttpHandler = Server.CreateHandler();
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext context) => context.User.FindFirst("sub")!.Value).RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    private async Task<string> IssueAsync(string audience)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", $$$"""{"spec":{"audiences":["{{{audience}}}"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("status").GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task JwtBearerVerifiesThroughDiscovery()
    {
        await using var app = await StartResourceServerAsync();
        using var client = app.GetTestClient();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueAsync("api"));
        using var ok = await client.GetAsync("/whoami");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("system:serviceaccount:default:builder", await ok.Content.ReadAsStringAsync());
        Assert.Contains(Server.Requests, r => r.PathAndQuery == "/.well-known/openid-configuration");
        Assert.Contains(Server.Requests, r => r.PathAndQuery == "/openid/v1/jwks");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueAsync("vault"));
        using var wrongAudience = await client.GetAsync("/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Contains("invalid_token", wrongAudience.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var forged = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(Server.Issuer, "api", [new("sub", "system:serviceaccount:default:builder")], DateTime.UtcNow, DateTime.UtcNow.AddHours(1)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        using var unsigned = await client.GetAsync("/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }
}
