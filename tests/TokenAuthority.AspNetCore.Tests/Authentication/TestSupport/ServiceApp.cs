using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.AspNetCore.Authentication;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>A service that only verifies tokens (no authority of its own), in-process on TestHost with a fake clock.</summary>
public sealed class ServiceApp : IAsyncDisposable
{
    private ServiceApp(WebApplication app, FakeTimeProvider clock, TestLogs logs)
    {
        App = app;
        Clock = clock;
        Logs = logs;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Clock { get; }

    public TestLogs Logs { get; }

    public static async Task<ServiceApp> StartAsync(string defaultScheme, Action<AuthenticationBuilder> authentication)
    {
        var logs = new TestLogs();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = TestHost.CreateBuilder(logs, clock);
        builder.WebHost.UseTestServer();
        authentication(builder.Services.AddAuthentication(defaultScheme));
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/public", () => "ok");
        app.MapGet("/orders", ProtectedApp.Describe).RequireAuthorization();
        app.MapGet("/pods-only", ProtectedApp.Describe).RequireBoundObjectKind("Pod");
        app.MapGet("/other-namespace", ProtectedApp.Describe).RequireNamespace("kube-system");
        await app.StartAsync();
        return new ServiceApp(app, clock, logs);
    }

    /// <summary>A service on the TokenReview scheme for <c>orders</c>, asking <paramref name="authority"/> as its token reviewer over TLS it trusts.</summary>
    public static Task<ServiceApp> StartTokenReviewAsync(AuthorityServer authority, Action<TokenReviewAuthenticationOptions>? configure = null) =>
        StartAsync(TokenReviewAuthenticationDefaults.AuthenticationScheme, auth => auth.AddTokenReview(o =>
        {
            o.Authority = authority.Issuer;
            o.Audiences.Add("orders");
            o.ReviewerToken = authority.ReviewerToken;
            o.CertificateAuthorityFile = authority.CertificateAuthorityFile;
            configure?.Invoke(o);
        }));

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
