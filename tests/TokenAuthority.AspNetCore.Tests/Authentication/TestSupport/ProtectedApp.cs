using TokenAuthority.Tests.TestSupport;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Binding;
using TokenAuthority.Keys;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>
/// An app that issues tokens and protects its own endpoints with the TokenAuthority scheme, on a fake clock
/// and an in-memory store. In-process (TestHost) by default, or on Kestrel at 127.0.0.1:0.
/// </summary>
public sealed class ProtectedApp : CallerApp
{
    public const string Issuer = "https://issuer.example.com";

    private ProtectedApp(WebApplication app, HttpClient client, FakeTimeProvider clock, TestLogs logs)
        : base(app, client, clock, logs)
    {
    }

    public InMemoryBoundObjectResolver Store => Services.GetRequiredService<InMemoryBoundObjectResolver>();

    public static async Task<ProtectedApp> StartAsync(
        Action<TokenAuthorityAuthenticationOptions>? configure = null,
        bool kestrel = false,
        Action<IServiceCollection>? services = null)
    {
        var logs = new TestLogs();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        var builder = TestHost.CreateBuilder(logs, clock);
        if (kestrel)
        {
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddTokenAuthority(o =>
        {
            o.Issuer = Issuer;
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
        }).AddInMemoryBoundObjects(TestObjects.Seed);
        builder.Services.AddAuthentication(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)
            .AddTokenAuthorityBearer(o =>
            {
                o.Audiences.Add("orders");
                configure?.Invoke(o);
            });
        builder.Services.AddAuthorization(o => o.AddPolicy(KubeSystemPolicy, p => p.RequireNamespace("kube-system")));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        MapCallerEndpoints(app);

        await app.StartAsync();
        HttpClient client;
        if (kestrel)
        {
            client = new HttpClient { BaseAddress = new Uri(TestHost.Address(app)) };
        }
        else
        {
            client = app.GetTestClient();
        }

        return new ProtectedApp(app, client, clock, logs);
    }

    public Task<string> IssueAsync(string[] audiences, BoundObject? boundTo = null, string ns = "default", string serviceAccount = "builder", long seconds = 3600) =>
        Tokens.IssueAsync(Services, audiences, boundTo, ns, serviceAccount, seconds);

    public BoundObject Pod => TestObjects.Pod(Store);
}

public sealed class CallerView
{
    public string? Name { get; set; }

    public Dictionary<string, string[]> Claims { get; set; } = [];

    /// <summary>The issuers of the principal's claims (one, for every principal the library builds).</summary>
    public string[] ClaimIssuers { get; set; } = [];

    public string? Outcome { get; set; }

    public string? ResultUsername { get; set; }

    public string[]? ResultAudiences { get; set; }

    public string? ResultPod { get; set; }
}

public static class ResponseExtensions
{
    public static async Task<CallerView> CallerAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<CallerView>(response.Content);
        return view!;
    }
}
