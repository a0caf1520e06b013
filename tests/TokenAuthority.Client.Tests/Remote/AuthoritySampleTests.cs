using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Client.Tests.TestSupport;

namespace TokenAuthority.Client.Tests;

/// <summary>The remote source against the real Authority sample process, configured by nothing but the kubeconfig it writes.</summary>
public sealed class AuthoritySampleTests(AuthoritySampleProcess authority) : IClassFixture<AuthoritySampleProcess>
{
    private ServiceProvider Services(FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddTokenAuthorityClient().UseRemoteAuthority(o => o.KubeconfigFile = authority.KubeconfigFile);
        return services.BuildServiceProvider();
    }

    private static ServiceAccountTokenRequest Request(string name = "default") => new()
    {
        Namespace = "default",
        Name = name,
        Audiences = ["orders-api"],
        ExpirationSeconds = 600,
    };

    [Fact]
    public async Task Remote_source_gets_a_token_from_the_Authority_and_refreshes_it_at_80_percent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = Services(time);
        var source = services.GetRequiredService<IServiceAccountTokenSource>();

        var first = await source.GetTokenAsync(Request());

        Assert.Equal(3, first.Value.Split('.').Length);
        Assert.False(string.IsNullOrEmpty(first.ServiceAccountUid), authority.Output);
        Assert.InRange(first.ExpiresAt!.Value - first.IssuedAt, TimeSpan.FromSeconds(590), TimeSpan.FromSeconds(610));
        Assert.Same(first, await source.GetTokenAsync(Request()));

        time.Advance(TimeSpan.FromMinutes(8)); // 80 % of 10 minutes: the background refresh asks the Authority again
        await Eventually.True(async () => (await source.GetTokenAsync(Request())).Value != first.Value, "a refreshed token from the Authority");
        var second = await source.GetTokenAsync(Request());
        Assert.Equal(first.ServiceAccountUid, second.ServiceAccountUid);
    }

    [Fact]
    public async Task Authority_refusal_is_reported_with_its_message()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = Services(time);
        var source = services.GetRequiredService<IServiceAccountTokenSource>();

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => source.GetTokenAsync(Request("nobody")).AsTask());

        Assert.Contains("serviceaccounts \"nobody\" not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, error.Status?.Code);
    }

    [Fact]
    public async Task Recreated_account_at_the_Authority_yields_a_new_uid_and_old_tokens_are_not_served()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = Services(time);
        var source = services.GetRequiredService<IServiceAccountTokenSource>();
        using var admin = AdminClient();
        var name = "client-" + Guid.NewGuid().ToString("N")[..8];
        await CreateServiceAccountAsync(admin, name);

        var orders = await source.GetTokenAsync(Request(name));
        var billing = await source.GetTokenAsync(Request(name) with { Audiences = ["billing"] });

        using (var deleted = await admin.DeleteAsync(new Uri($"/api/v1/namespaces/default/serviceaccounts/{name}", UriKind.Relative)))
        {
            deleted.EnsureSuccessStatusCode();
        }
        await CreateServiceAccountAsync(admin, name);

        // The callee rejects the orders token (its account is gone); the replacement reports the new uid ...
        var replaced = await source.RefreshTokenAsync(Request(name), orders.Value);
        Assert.NotEqual(orders.ServiceAccountUid, replaced.ServiceAccountUid);

        // ... and the billing token, cached under the old uid, is no longer served.
        var billingAgain = await source.GetTokenAsync(Request(name) with { Audiences = ["billing"] });
        Assert.NotEqual(billing.Value, billingAgain.Value);
        Assert.Equal(replaced.ServiceAccountUid, billingAgain.ServiceAccountUid);
    }

    private HttpClient AdminClient()
    {
        var kubeconfig = Kubeconfig.Load(authority.KubeconfigFile);
        var client = new HttpClient(CertificateAuthorityTrust.CreateHandler(kubeconfig.CertificateAuthorityPem)) { BaseAddress = kubeconfig.Server };
        client.DefaultRequestHeaders.Authorization = new("Bearer", kubeconfig.Token);
        return client;
    }

    private static async Task CreateServiceAccountAsync(HttpClient admin, string name)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" } };
        using var created = await admin.PostAsJsonAsync(new Uri("/api/v1/namespaces/default/serviceaccounts", UriKind.Relative), body);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }
}
