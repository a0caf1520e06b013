using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.Binding;

[Collection(SharedPostgres.Name)]
public sealed class PostgreSqlBoundObjectResolverTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ta-dp-").FullName;
    private string _database = null!;
    private Replica _a = null!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _a = await Replica.StartAsync(_database, _keys, configure: s => s.Configure<TokenAuthorityOptions>(o => o.ResolverTimeout = TimeSpan.FromSeconds(1)));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        Directory.Delete(_keys, true);
    }

    [Fact]
    public async Task ResolvesWhatTheStoreHoldsWithNamespacesAndClusterScope()
    {
        var resolver = _a.Services.GetRequiredService<IBoundObjectResolver>();
        await _a.Store.CreateAsync(BoundObjectKinds.Node, null, "n1");
        await _a.Store.CreateAsync(BoundObjectKinds.Secret, "a", "s");
        Assert.NotNull(await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Node, null, "n1"), CancellationToken.None));
        Assert.NotNull(await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Secret, "a", "s"), CancellationToken.None));
        Assert.Null(await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Secret, "b", "s"), CancellationToken.None));
        Assert.Null(await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Pod, "a", "s"), CancellationToken.None));
    }

    [Fact]
    public async Task ALockedTableIsRefusedWithinTheResolverTimeoutNotWaitedFor()
    {
        await _a.Store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder");
        await _a.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder");
        var token = await _a.IssuePodBoundAsync("web-0");

        // Another session holds the table; the clock is fake, so only the command timeout can end the wait.
        await using var blocker = new NpgsqlConnection(_database);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE tokenauthority.objects IN ACCESS EXCLUSIVE MODE;", blocker, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var result = await _a.VerifyAsync(token);
        Assert.False(result.Succeeded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"the lookup waited {clock.Elapsed}");
        Console.WriteLine($"[postgresql] a lookup on a locked table was refused after {clock.Elapsed.TotalMilliseconds:F0} ms (resolver timeout 1 s)");
        await transaction.RollbackAsync();
        Assert.True((await _a.VerifyAsync(token)).Succeeded);
    }
}
