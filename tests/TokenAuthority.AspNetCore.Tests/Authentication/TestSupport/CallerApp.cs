using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>
/// A started app whose endpoints describe the caller (<see cref="CallerView"/>), on a fake clock with its logs
/// collected: the base of <see cref="ProtectedApp"/> (verifies in-process) and <see cref="ServiceApp"/> (verifies remotely).
/// </summary>
public abstract class CallerApp : IAsyncDisposable
{
    /// <summary>The named policy behind <c>/kube-system</c>.</summary>
    public const string KubeSystemPolicy = "kube-system";

    protected CallerApp(WebApplication app, HttpClient client, FakeTimeProvider clock, TestLogs logs)
    {
        App = app;
        Client = client;
        Clock = clock;
        Logs = logs;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Clock { get; }

    public TestLogs Logs { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>
    /// <c>/public</c> (anonymous), <c>/orders</c> (any authenticated caller), <c>/builder-only</c> (default/builder),
    /// <c>/kube-system</c> (the named policy), <c>/other-namespace</c> (the namespace convention), <c>/pods-only</c> (pod-bound tokens).
    /// </summary>
    public static void MapCallerEndpoints(WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/public", () => "ok");
        app.MapGet("/orders", Describe).RequireAuthorization();
        app.MapGet("/builder-only", Describe).RequireServiceAccount("default", "builder");
        app.MapGet("/kube-system", Describe).RequireAuthorization(KubeSystemPolicy);
        app.MapGet("/other-namespace", Describe).RequireNamespace("kube-system");
        app.MapGet("/pods-only", Describe).RequireBoundObjectKind("Pod");
    }

    /// <summary>The caller as the endpoint sees it: name, claims grouped by type, and the typed verification result.</summary>
    public static IResult Describe(HttpContext context)
    {
        var result = context.GetTokenVerificationResult();
        return Results.Json(new CallerView
        {
            Name = context.User.Identity?.Name,
            Claims = context.User.Claims.GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.Select(c => c.Value).ToArray()),
            ClaimIssuers = context.User.Claims.Select(c => c.Issuer).Distinct().ToArray(),
            Outcome = result?.Outcome.ToString(),
            ResultUsername = result?.User?.Username,
            ResultAudiences = result?.Audiences.ToArray(),
            ResultPod = result?.Claims?.BoundObject is { Kind: "Pod" } pod ? pod.Reference.Name : null,
        });
    }

    /// <summary>GET with <c>Authorization: Bearer &lt;token&gt;</c>, or no header when <paramref name="token"/> is null.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(path, token is null ? null : "Bearer " + token);

    /// <summary>GET with exactly this <c>Authorization</c> header value (none when null).</summary>
    public async Task<HttpResponseMessage> SendAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
