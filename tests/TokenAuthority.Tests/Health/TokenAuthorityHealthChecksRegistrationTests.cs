using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TokenAuthority.Health;
using TokenAuthority.Keys;

namespace TokenAuthority.Tests.Health;

public sealed class TokenAuthorityHealthChecksRegistrationTests
{
    [Fact]
    public async Task AddTokenAuthorityChecks_registers_both_checks_once_tagged_for_readiness_and_they_pass_on_a_working_authority()
    {
        using var key = TokenKey.GenerateECDsa();
        var services = new ServiceCollection().AddLogging();
        services.AddTokenAuthority(o =>
        {
            o.Issuer = "https://authority.example";
            o.SigningKey = key;
        }).AddInMemoryBoundObjects();
        services.AddHealthChecks().AddTokenAuthorityChecks().AddTokenAuthorityChecks();
        await using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal([TokenAuthorityHealthChecks.KeysName, TokenAuthorityHealthChecks.ResolverName], registrations.Select(r => r.Name));
        Assert.All(registrations, r => Assert.Equal(new HashSet<string> { TokenAuthorityHealthChecks.Tag, TokenAuthorityHealthChecks.ReadyTag }, r.Tags));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(TokenAuthorityHealthChecks.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(2, report.Entries.Count);
    }

    [Fact]
    public void Tags_given_replace_the_readiness_tag()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddTokenAuthorityChecks(["startup"]);
        using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.All(registrations, r => Assert.Equal(new HashSet<string> { TokenAuthorityHealthChecks.Tag, "startup" }, r.Tags));
    }
}
