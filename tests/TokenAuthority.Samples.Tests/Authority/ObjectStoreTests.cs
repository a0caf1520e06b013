using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Storage;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class ObjectStoreTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<ObjectStore> OpenAsync()
    {
        var store = new ObjectStore(new DataDirectory(_directory.Path), _time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task The_default_service_account_exists_after_the_first_start()
    {
        var store = await OpenAsync();
        var account = await store.GetAsync(BoundObjectKinds.ServiceAccount, "default", "default", CancellationToken.None);
        Assert.NotNull(account);
        Assert.True(Guid.TryParse(account.Uid, out _));
        Assert.Equal(_time.GetUtcNow(), account.CreationTimestamp);
    }

    [Fact]
    public async Task Objects_get_a_fresh_uid_and_the_creation_time_and_survive_reopening()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "default", "node-1", CancellationToken.None);
        Assert.Equal(CreateOutcome.Created, created.Outcome);

        var reopened = await OpenAsync(); // second start: schema already there, nothing re-seeded
        var found = await reopened.GetAsync(BoundObjectKinds.Pod, "default", "web-0", CancellationToken.None);
        Assert.Equal(created.Object, found);
        Assert.Single(await reopened.ListAsync(BoundObjectKinds.ServiceAccount, "default", CancellationToken.None));
    }

    [Fact]
    public async Task Names_are_unique_per_kind_and_namespace()
    {
        var store = await OpenAsync();
        Assert.Equal(CreateOutcome.Created, (await store.CreateAsync(BoundObjectKinds.Secret, "default", "s", null, null, CancellationToken.None)).Outcome);
        Assert.Equal(CreateOutcome.AlreadyExists, (await store.CreateAsync(BoundObjectKinds.Secret, "default", "s", null, null, CancellationToken.None)).Outcome);
        Assert.Equal(CreateOutcome.Created, (await store.CreateAsync(BoundObjectKinds.Secret, "other", "s", null, null, CancellationToken.None)).Outcome);
        Assert.Equal(CreateOutcome.Created, (await store.CreateAsync(BoundObjectKinds.Node, null, "s", null, null, CancellationToken.None)).Outcome);
        Assert.Equal(CreateOutcome.AlreadyExists, (await store.CreateAsync(BoundObjectKinds.Node, null, "s", null, null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_pod_needs_its_service_account_in_its_namespace()
    {
        var store = await OpenAsync();
        Assert.Equal(CreateOutcome.ServiceAccountNotFound, (await store.CreateAsync(BoundObjectKinds.Pod, "default", "p", "builder", null, CancellationToken.None)).Outcome);
        Assert.Equal(CreateOutcome.ServiceAccountNotFound, (await store.CreateAsync(BoundObjectKinds.Pod, "other", "p", "default", null, CancellationToken.None)).Outcome);
        await store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder", null, null, CancellationToken.None);
        Assert.Equal(CreateOutcome.Created, (await store.CreateAsync(BoundObjectKinds.Pod, "default", "p", "builder", null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Deleting_removes_the_object_so_the_resolver_no_longer_finds_it_and_a_recreated_one_has_a_new_uid()
    {
        var store = await OpenAsync();
        var resolver = new SqliteBoundObjectResolver(store, Options.Create(new TokenAuthorityOptions()));
        var first = (await store.CreateAsync(BoundObjectKinds.Node, null, "node-1", null, null, CancellationToken.None)).Object!;
        var key = new BoundObjectKey(BoundObjectKinds.Node, null, "node-1");
        Assert.Equal(first.Uid, (await resolver.ResolveAsync(key, CancellationToken.None))?.Uid);

        Assert.Equal(first, await store.DeleteAsync(BoundObjectKinds.Node, null, "node-1", CancellationToken.None));
        Assert.Null(await resolver.ResolveAsync(key, CancellationToken.None));
        Assert.Null(await store.DeleteAsync(BoundObjectKinds.Node, null, "node-1", CancellationToken.None));

        var second = (await store.CreateAsync(BoundObjectKinds.Node, null, "node-1", null, null, CancellationToken.None)).Object!;
        Assert.NotEqual(first.Uid, second.Uid);
    }

    [Fact]
    public async Task The_resolver_reports_a_pods_service_account_and_node_and_ignores_unknown_kinds()
    {
        var store = await OpenAsync();
        await store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "default", "node-1", CancellationToken.None);
        var resolver = new SqliteBoundObjectResolver(store, Options.Create(new TokenAuthorityOptions()));

        var pod = await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0"), CancellationToken.None);
        Assert.Equal(("default", "node-1"), (pod!.ServiceAccountName, pod.NodeName));
        Assert.Null(await resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Pod, "other", "web-0"), CancellationToken.None));
        Assert.Null(await resolver.ResolveAsync(new BoundObjectKey("ConfigMap", "default", "web-0"), CancellationToken.None));
    }

    [Fact]
    public async Task Names_are_data_never_SQL()
    {
        var store = await OpenAsync();
        const string hostile = "x'); DROP TABLE objects; --";
        Assert.Equal(CreateOutcome.Created, (await store.CreateAsync(BoundObjectKinds.Secret, "default", hostile, null, null, CancellationToken.None)).Outcome);
        Assert.Equal(hostile, (await store.GetAsync(BoundObjectKinds.Secret, "default", hostile, CancellationToken.None))?.Name);
        Assert.NotNull(await store.GetAsync(BoundObjectKinds.ServiceAccount, "default", "default", CancellationToken.None));
    }

    [Theory]
    [InlineData(5000, 5)]
    [InlineData(2500, 2)]
    [InlineData(1000, 1)]
    [InlineData(300, 1)]
    public void The_lookups_busy_timeout_never_exceeds_the_resolver_timeout_in_whole_seconds(int resolverTimeoutMs, int expected) =>
        Assert.Equal(expected, SqliteBoundObjectResolver.CommandTimeoutSeconds(TimeSpan.FromMilliseconds(resolverTimeoutMs)));

    [Fact]
    public async Task A_lookup_on_a_locked_database_gives_up_at_the_resolver_timeout_not_the_stores_30_s()
    {
        var store = await OpenAsync();
        SqliteConnection.ClearAllPools();
        var resolver = new SqliteBoundObjectResolver(store, Options.Create(new TokenAuthorityOptions { ResolverTimeout = TimeSpan.FromSeconds(1) }));

        // Another process holds the database exclusively (in WAL mode only exclusive locking mode keeps readers out).
        await using var holder = new SqliteConnection($"Data Source={new DataDirectory(_directory.Path).Database};Pooling=False");
        await holder.OpenAsync();
        await using (var lockIt = holder.CreateCommand())
        {
            lockIt.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE objects SET name = name;";
            await lockIt.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        var lookup = resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, "default", "default"), CancellationToken.None).AsTask();
        var error = await Assert.ThrowsAsync<SqliteException>(() => lookup.WaitAsync(TimeSpan.FromSeconds(60)));
        watch.Stop();

        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY: the lookup ended by itself, and the core fails closed on it
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the lookup waited {watch.Elapsed.TotalSeconds:F1} s on the lock");
    }

    [Fact]
    public async Task A_cancelled_lookup_does_not_touch_the_database()
    {
        var store = await OpenAsync();
        var resolver = new SqliteBoundObjectResolver(store, Options.Create(new TokenAuthorityOptions()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            resolver.ResolveAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, "default", "default"), cancelled.Token).AsTask());
    }
}
