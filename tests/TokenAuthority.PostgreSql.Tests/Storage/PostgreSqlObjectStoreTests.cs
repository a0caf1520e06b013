using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Storage;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.Storage;

[Collection(SharedPostgres.Name)]
public sealed class PostgreSqlObjectStoreTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ta-dp-").FullName;
    private Replica _replica = null!;

    public async Task InitializeAsync() => _replica = await Replica.StartAsync(await cluster.CreateDatabaseAsync(), _keys);

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        Directory.Delete(_keys, true);
    }

    [Fact]
    public async Task CreateGetDelete()
    {
        var store = _replica.Store;
        var sa = await store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder");
        Assert.Equal(ObjectCreateOutcome.Created, sa.Outcome);
        var pod = await store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder", "n1");
        Assert.Equal(ObjectCreateOutcome.Created, pod.Outcome);

        var key = new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0");
        var read = await store.GetAsync(key);
        Assert.Equal(pod.Created, read);
        Assert.Equal("builder", read!.ServiceAccountName);
        Assert.Equal("n1", read.NodeName);
        Assert.Null(read.DeletionTimestamp);
        Assert.True(Guid.TryParse(read.Uid, out _));

        Assert.Equal(pod.Created, await store.DeleteAsync(key));
        Assert.Null(await store.GetAsync(key));
        Assert.Null(await store.DeleteAsync(key));
    }

    [Theory]
    [InlineData("Pod", "default", "pods \"x\" already exists")]
    [InlineData("Secret", "default", "secrets \"x\" already exists")]
    [InlineData("Node", null, "nodes \"x\" already exists")]
    [InlineData("ServiceAccount", "default", "serviceaccounts \"x\" already exists")]
    public async Task ASecondCreateIsAConflictWithKubernetesText(string kind, string? ns, string message)
    {
        var store = _replica.Store;
        await store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "default");
        var first = await store.CreateAsync(kind, ns, "x");
        Assert.Equal(ObjectCreateOutcome.Created, first.Outcome);

        var second = await store.CreateAsync(kind, ns, "x");
        Assert.Equal(ObjectCreateOutcome.AlreadyExists, second.Outcome);
        Assert.Equal(message, second.Message);
        Assert.Null(second.Created);
        Assert.Equal(first.Created!.Uid, (await store.GetAsync(new BoundObjectKey(kind, ns, "x")))!.Uid);
    }

    [Fact]
    public async Task APodWithoutItsServiceAccountIsRefused()
    {
        var result = await _replica.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "ghost");
        Assert.Equal(ObjectCreateOutcome.ServiceAccountNotFound, result.Outcome);
        Assert.Equal("error looking up service account default/ghost: serviceaccount \"ghost\" not found", result.Message);
        Assert.Null(await _replica.Store.GetAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0")));

        // Admission before storage, as Kubernetes: an existing name with a missing service account is still 403.
        await _replica.Store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "default");
        Assert.Equal(ObjectCreateOutcome.Created, (await _replica.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0")).Outcome);
        Assert.Equal(ObjectCreateOutcome.ServiceAccountNotFound, (await _replica.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "ghost")).Outcome);
        Assert.Equal(ObjectCreateOutcome.AlreadyExists, (await _replica.Store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0")).Outcome);
    }

    [Fact]
    public async Task SameNameInAnotherNamespaceIsAnotherObject()
    {
        Assert.Equal(ObjectCreateOutcome.Created, (await _replica.Store.CreateAsync(BoundObjectKinds.Secret, "a", "s")).Outcome);
        Assert.Equal(ObjectCreateOutcome.Created, (await _replica.Store.CreateAsync(BoundObjectKinds.Secret, "b", "s")).Outcome);
        Assert.Equal(ObjectCreateOutcome.Created, (await _replica.Store.CreateAsync("Widget", "a", "s")).Outcome);
        Assert.Equal(2, (await _replica.Store.ListAsync(BoundObjectKinds.Secret, "a")).Count + (await _replica.Store.ListAsync(BoundObjectKinds.Secret, "b")).Count);
    }

    [Fact]
    public async Task ARecreatedObjectHasANewUidAndOldTokensAreRefused()
    {
        var store = _replica.Store;
        await store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "builder");
        var key = new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0");
        var first = (await store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder")).Created!;
        var token = await _replica.IssuePodBoundAsync("web-0");
        Assert.True((await _replica.VerifyAsync(token)).Succeeded);

        await store.DeleteAsync(key);
        var second = (await store.CreateAsync(BoundObjectKinds.Pod, "default", "web-0", "builder")).Created!;
        Assert.NotEqual(first.Uid, second.Uid);
        var refused = await _replica.VerifyAsync(token);
        Assert.False(refused.Succeeded);
        Assert.True((await _replica.VerifyAsync(await _replica.IssuePodBoundAsync("web-0"))).Succeeded);
    }

    [Fact]
    public async Task DeletionTimestampIsStoredAndKeptOnceSet()
    {
        var store = _replica.Store;
        await store.CreateAsync(BoundObjectKinds.Secret, "default", "s");
        var key = new BoundObjectKey(BoundObjectKinds.Secret, "default", "s");
        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(when, (await store.MarkDeletedAsync(key, when))!.DeletionTimestamp);
        Assert.Equal(when, (await store.MarkDeletedAsync(key, when.AddHours(1)))!.DeletionTimestamp);
        Assert.Equal(when, (await store.GetAsync(key))!.DeletionTimestamp);
        Assert.Null(await store.MarkDeletedAsync(new BoundObjectKey(BoundObjectKinds.Secret, "default", "missing"), when));
    }
}
