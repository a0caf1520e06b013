using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Samples.Authority.Health;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>The failure side of <c>/readyz</c> over HTTP: a failing readiness check makes it 500 while <c>/livez</c> stays 200.</summary>
public sealed class KubernetesHealthEndpointsTests
{
    [Fact]
    public async Task A_failing_readiness_check_is_a_500_with_its_reason_withheld_and_livez_stays_ok()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks()
            .AddCheck("ping", () => HealthCheckResult.Healthy(), [KubernetesHealthEndpoints.LiveTag, KubernetesHealthEndpoints.ReadyTag])
            .AddCheck("objects", () => HealthCheckResult.Unhealthy("the object database does not answer: /secret/path/objects.db"), [KubernetesHealthEndpoints.ReadyTag])
            .AddCheck("tokenauthority-keys", () => HealthCheckResult.Degraded("a key ends soon"), [KubernetesHealthEndpoints.ReadyTag]);
        await using var app = builder.Build();
        app.MapKubernetesHealth();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var client = new HttpClient { BaseAddress = address };

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, ready.StatusCode);
        Assert.Equal("text/plain", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(ready.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("[+]ping ok\n[-]objects failed: reason withheld\n[+]tokenauthority-keys ok\nreadyz check failed\n", await ready.Content.ReadAsStringAsync());

        using var live = await client.GetAsync(new Uri("/livez", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());

        using var excluded = await client.GetAsync(new Uri("/readyz?exclude=objects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, excluded.StatusCode);
        Assert.Equal("ok", await excluded.Content.ReadAsStringAsync());

        await app.StopAsync();
    }
}
