using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>
/// A service that knows nothing of TokenAuthority: the stock JwtBearer handler, told only the issuer's discovery
/// address and its audience, fetches the discovery document and JWKS from the authority (over the backchannel) and
/// verifies the signature itself.
/// </summary>
public sealed class StockJwtBearerService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private StockJwtBearerService(WebApplication app)
    {
        _app = app;
        _client = app.GetTestClient();
    }

    public static async Task<StockJwtBearerService> StartAsync(HttpMessageHandler authority, string audience)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MetadataAddress = HsmAuthority.Issuer + "/.well-known/openid-configuration";
            o.BackchannelHttpHandler = authority;
            o.Audience = audience;
            o.MapInboundClaims = false;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
        await app.StartAsync();
        return new StockJwtBearerService(app);
    }

    /// <summary>The status code and, when accepted, the caller's <c>sub</c>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WhoAmIAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
