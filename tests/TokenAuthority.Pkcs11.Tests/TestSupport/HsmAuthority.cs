using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>
/// One instance of an authority whose keys are in SoftHSM2: the library's services plus its discovery and JWKS
/// endpoints, served in memory (TestServer). Several of these on one token are several replicas of one authority.
/// </summary>
public sealed class HsmAuthority : IAsyncDisposable
{
    public const string Issuer = "https://hsm-authority.test";

    private readonly WebApplication _app;

    private HsmAuthority(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public ITokenIssuer IssuerService => Services.GetRequiredService<ITokenIssuer>();

    public ITokenVerifier Verifier => Services.GetRequiredService<ITokenVerifier>();

    public TokenKeySet Keys => Services.GetRequiredService<ITokenKeySetProvider>().Current;

    public static async Task<HsmAuthority> StartAsync(Pkcs11KeyOptions keys, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.WebHost.UseTestServer();
        builder.Services.AddTokenAuthority(o => o.Issuer = Issuer)
            .AddInMemoryBoundObjects(store => store.AddServiceAccount("default", "builder", "sa-uid-1"))
            .AddPkcs11Keys(o => Copy(keys, o));
        builder.Services.AddTokenAuthorityEndpoints();
        var app = builder.Build();
        app.MapTokenAuthority().AllowAnonymous();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new HsmAuthority(app);
    }

    public static void Copy(Pkcs11KeyOptions from, Pkcs11KeyOptions to)
    {
        to.ModulePath = from.ModulePath;
        to.TokenLabel = from.TokenLabel;
        to.SlotId = from.SlotId;
        to.Pin = from.Pin;
        to.SigningKeyLabel = from.SigningKeyLabel;
        to.MaxSessions = from.MaxSessions;
        foreach (var label in from.VerificationKeyLabels)
        {
            to.VerificationKeyLabels.Add(label);
        }
    }

    /// <summary>A handler that reaches this instance's endpoints (for a JwtBearer backchannel).</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public Task<string> IssueAsync(params string[] audiences) => IssueAsync(CancellationToken.None, audiences);

    public async Task<string> IssueAsync(CancellationToken cancellationToken, params string[] audiences) =>
        (await IssuerService.IssueAsync("default", "builder", new TokenRequestSpec { Audiences = audiences }, cancellationToken: cancellationToken)).Token!;

    public async Task<JsonElement> JwksAsync()
    {
        using var client = _app.GetTestClient();
        return await client.GetFromJsonAsync<JsonElement>("/openid/v1/jwks");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
