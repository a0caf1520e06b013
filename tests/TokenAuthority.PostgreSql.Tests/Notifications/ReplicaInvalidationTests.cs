using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.PostgreSql.Tests.Notifications;

/// <summary>Two replicas (two service providers) on one database: keys shared, deletions seen by the other replica's cache.</summary>
[Collection(SharedPostgres.Name)]
public sealed class ReplicaInvalidationTests(PostgresCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ta-dp-").FullName;
    private string _database = null!;
    private Replica _a = null!;
    private Replica _b = null!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _a = await Replica.StartAsync(_database, _keys);
        _b = await Replica.StartAsync(_database, _keys);
        await _a.Store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(_keys, true);
    }

    [Fact]
    public async Task ATokenIssuedOnAVerifiesOnBWithTheSameKey()
    {
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder");
        var token = await _a.IssuePodBoundAsync("web-0");
        Assert.True((await _b.VerifyAsync(token)).Succeeded);
        Assert.Equal(_a.Keys.Current.SigningKey.KeyId, _b.Keys.Current.SigningKey.KeyId);
    }

    [Fact]
    public async Task AnObjectDeletedThroughBIsRefusedByAAlthoughACachedIt()
    {
        // Each round: A verifies (and caches the pod), B deletes it, A is asked until it refuses. The clock is fake and
        // never moves, so only the notification can make A ask the database again (the TTL never passes).
        const int rounds = 100;
        var worst = TimeSpan.Zero;
        var total = TimeSpan.Zero;
        for (var i = 0; i < rounds; i++)
        {
            var name = $"web-{i}";
            await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", name, "builder");
            var token = await _a.IssuePodBoundAsync(name);
            Assert.True((await _a.VerifyAsync(token)).Succeeded);
            Assert.True((await _a.VerifyAsync(token)).Succeeded);

            Assert.NotNull(await _b.Store.DeleteAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", name)));
            var clock = Stopwatch.StartNew();
            while ((await _a.VerifyAsync(token)).Succeeded)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"round {i}: replica A still accepts a token of a pod deleted through B after {clock.Elapsed}");
                await Task.Delay(1);
            }

            worst = clock.Elapsed > worst ? clock.Elapsed : worst;
            total += clock.Elapsed;
        }

        output.WriteLine($"invalidation delay over {rounds} deletions: worst {worst.TotalMilliseconds:F1} ms, mean {total.TotalMilliseconds / rounds:F2} ms");
        Console.WriteLine($"[postgresql] invalidation delay over {rounds} deletions: worst {worst.TotalMilliseconds:F1} ms, mean {total.TotalMilliseconds / rounds:F2} ms");
    }

    [Fact]
    public async Task AWarmVerificationAsksTheDatabaseNothing()
    {
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-w", "builder");
        var token = await _a.IssuePodBoundAsync("web-w");
        var resolver = (TokenAuthority.PostgreSql.Binding.PostgreSqlBoundObjectResolver)_b.Services.GetRequiredService<IBoundObjectResolver>();
        Assert.True((await _b.VerifyAsync(token)).Succeeded);
        var cold = resolver.Queries;
        Assert.True(cold >= 2, $"a cold verification of a pod-bound token looks up the service account and the pod ({cold})");
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await _b.VerifyAsync(token)).Succeeded);
        }

        Assert.Equal(cold, resolver.Queries);
        output.WriteLine($"database queries: {cold} for the first verification, 0 for the next 100");
    }

    [Fact]
    public async Task WithoutNotificationsACachedObjectWouldBeServed()
    {
        // The control for the test above: the same delete made behind the store's back (no NOTIFY) is not seen by A,
        // whose cache then serves the stale answer. So the refusal above is the notification's doing.
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-x", "builder");
        var token = await _a.IssuePodBoundAsync("web-x");
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("DELETE FROM tokenauthority.objects WHERE name = 'web-x';", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await Task.Delay(200);
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
    }

    [Fact]
    public async Task TheListenerKilledReListensAndAnObjectDeletedInTheGapIsRefused()
    {
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-g", "builder");
        var token = await _a.IssuePodBoundAsync("web-g");
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
        var before = _a.Listener.Connections;
        var pid = _a.Listener.BackendProcessId!.Value;

        // Delete behind the store's back while A's listener is being killed: no notification can reach A for it.
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid); DELETE FROM tokenauthority.objects WHERE name = 'web-g';", connection);
            command.Parameters.AddWithValue("pid", pid);
            await command.ExecuteNonQueryAsync();
        }

        await _a.WaitUntilAsync(() => _a.Listener.Connections > before && _a.Listener.IsListening, "A listens again");
        Assert.NotEqual(pid, _a.Listener.BackendProcessId);
        Assert.False((await _a.VerifyAsync(token)).Succeeded);

        // And notifications flow again after the reconnection.
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-h", "builder");
        var second = await _a.IssuePodBoundAsync("web-h");
        Assert.True((await _a.VerifyAsync(second)).Succeeded);
        await _b.Store.DeleteAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-h"));
        var clock = Stopwatch.StartNew();
        while ((await _a.VerifyAsync(second)).Succeeded)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "A still accepts web-h after the reconnection");
            await Task.Delay(5);
        }
    }
}
