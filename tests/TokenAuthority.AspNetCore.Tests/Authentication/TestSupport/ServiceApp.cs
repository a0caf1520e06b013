using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(clock);

        // Keep test runs from writing a key ring to the user's profile.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
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
