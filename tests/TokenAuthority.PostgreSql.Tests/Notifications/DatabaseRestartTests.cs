using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Health;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.Notifications;

/// <summary>PostgreSQL stopped under a running replica, then started again (a cluster of its own).</summary>
[Collection(RestartablePostgres.Name)]
public sealed class DatabaseRestartTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ta-dp-").FullName;
    private Replica _a = null!;

    public async Task InitializeAsync() => _a = await Replica.StartAsync(await cluster.CreateDatabaseAsync(), _keys, configure: s => s.AddHealthChecks());

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        Directory.Delete(_keys, true);
    }

    [Fact]
    public async Task WhileTheDatabaseIsDownVerificationFailsClosedAndItRecoversWithoutANewProvider()
    {
        await _a.Store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder");
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder");
        var token = await _a.IssuePodBoundAsync("web-0");
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
        Assert.True((await _a.VerifyAsync(token)).Succeeded); // now cached
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync()).Status);

        await cluster.StopAsync();
        try
        {
            // The listener sees its connection end and drops the cache: nothing is accepted on a cached answer the
            // database can no longer confirm (the fake clock never moves, so the TTL plays no part here).
            await _a.WaitUntilAsync(() => !_a.Listener.IsListening, "the listener notices");
            var refused = await _a.VerifyAsync(token);
            Assert.False(refused.Succeeded);
            var report = await HealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, report.Entries[PostgreSqlHealthChecks.DatabaseName].Status);
            Assert.Equal(HealthStatus.Degraded, report.Entries[PostgreSqlHealthChecks.NotificationsName].Status);
        }
        finally
        {
            await cluster.StartAsync();
        }

        await _a.WaitUntilAsync(() => _a.Listener.IsListening, "the listener listens again");
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync()).Status);

        // And a deletion is refused again at once.
        await _a.Store.DeleteAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0"));
        Assert.False((await _a.VerifyAsync(token)).Succeeded);
    }

    private Task<HealthReport> HealthAsync() => _a.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("tokenauthority"));
}
