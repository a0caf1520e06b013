using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.Keys;

/// <summary>The key ring in PostgreSQL: encrypted at rest, one ring for replicas starting together, rotation publish-before-sign, atomic saves.</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgreSqlKeyRingStoreTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ta-dp-").FullName;
    private readonly string _otherKeys = Directory.CreateTempSubdirectory("ta-dp-other-").FullName;
    private readonly List<Replica> _replicas = [];
    private string _database = null!;

    public async Task InitializeAsync() => _database = await cluster.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Directory.Delete(_keys, true);
        Directory.Delete(_otherKeys, true);
    }

    [Fact]
    public async Task ThreeReplicasStartingTogetherCreateOneSchemaAndOneActiveKey()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var started = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => StartAsync(clock))));
        var signing = await Task.WhenAll(started.Select(r => Task.Run(() => r.Keys.Current.SigningKey.KeyId)));

        Assert.Single(signing.Distinct());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM tokenauthority.schema_version;"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'tokenauthority';"));
        foreach (var replica in started)
        {
            var keys = replica.Ring.GetKeys();
            Assert.Single(keys, k => k.State == KeyRingKeyState.Active);
            Assert.Equal(signing[0], keys.Single(k => k.State == KeyRingKeyState.Active).KeyId);
        }

        // The rows are exactly one ring's: every replica sees the same records.
        var stored = await ScalarAsync<long>("SELECT count(*) FROM tokenauthority.key_ring;");
        Assert.All(started, r => Assert.Equal(stored, r.Ring.GetKeys().Count));
    }

    [Fact]
    public async Task PrivateKeysAreEncryptedAndOtherDataProtectionKeysCannotReadThem()
    {
        var a = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var kid = a.Keys.Current.SigningKey.KeyId;

        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT protected_key FROM tokenauthority.key_ring;", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                var bytes = (byte[])reader[0];
                var text = System.Text.Encoding.Latin1.GetString(bytes);
                Assert.DoesNotContain("-----BEGIN", text, StringComparison.Ordinal);
                Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
                Assert.Throws<FormatException>(() => TokenKey.ParsePem(text));
            }

            Assert.True(rows >= 1);
        }

        // The same database, other Data Protection keys: the ring cannot be used, and the error says why.
        var stranger = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow), _otherKeys);
        var error = Assert.Throws<InvalidOperationException>(() => stranger.Keys.Current);
        Assert.Contains("Data Protection", error.Message, StringComparison.Ordinal);
        Assert.Contains(kid, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotationThroughOneReplicaIsPublishedByTheOtherBeforeAnySignsWithIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = await StartAsync(clock);
        var b = await StartAsync(clock);
        await a.Store.CreateAsync(TokenAuthority.Binding.BoundObjectKinds.ServiceAccount, "default", "builder");
        await a.Store.CreateAsync(TokenAuthority.Binding.BoundObjectKinds.Pod, "default", "web-0", "builder");
        var first = a.Keys.Current.SigningKey.KeyId;
        Assert.Equal(first, b.Keys.Current.SigningKey.KeyId);
        var oldToken = await a.IssuePodBoundAsync("web-0");

        var rotation = await a.Ring.RotateNowAsync();
        var successor = rotation.KeyId;
        Assert.NotEqual(first, successor);
        var signedWith = new HashSet<string>();
        for (var step = 0; step < 30 && signedWith.Count < 2; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(60); // lets the replicas' refresh timers (real database reads) finish
            foreach (var (signer, verifier) in new[] { (a, b), (b, a) })
            {
                var kid = signer.Keys.Current.SigningKey.KeyId;
                signedWith.Add(kid);
                Assert.Contains(kid, verifier.Keys.Current.VerificationKeys.Select(k => k.KeyId));
            }
        }

        Assert.Contains(successor, signedWith);
        Assert.Equal(successor, b.Keys.Current.SigningKey.KeyId);
        var newToken = await b.IssuePodBoundAsync("web-0");
        Assert.True((await a.VerifyAsync(newToken)).Succeeded);
        Assert.True((await b.VerifyAsync(oldToken)).Succeeded);
        Assert.True((await a.VerifyAsync(oldToken)).Succeeded);
    }

    [Fact]
    public async Task ARotationOnOneReplicaReachesTheOtherThroughItsNotificationBeforeAnyRefresh()
    {
        // The clock never moves, so no refresh timer fires: only the notification can tell B of A's rotation.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = await StartAsync(clock);
        var b = await StartAsync(clock);
        var before = b.Ring.GetKeys();

        var rotation = await a.Ring.RotateNowAsync();

        // The ring changed on A (the successor's activation moved to the earliest safe moment, or a key was added).
        var after = a.Ring.GetKeys();
        Assert.NotEqual(before, after);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!b.Ring.GetKeys().SequenceEqual(after) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(after, b.Ring.GetKeys());
        Assert.Equal(rotation.Activates, b.Ring.GetKeys().Single(k => k.KeyId == rotation.KeyId).Activates);
        Assert.Equal(
            a.Keys.Current.VerificationKeys.Select(k => k.KeyId).Order(),
            b.Keys.Current.VerificationKeys.Select(k => k.KeyId).Order());
    }

    [Fact]
    public async Task AFailedSaveLeavesTheRingAsItWas()
    {
        var a = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        _ = a.Keys.Current;
        var store = a.Services.GetRequiredService<IKeyRingStore>();
        var before = await store.LoadRecordsAsync(CancellationToken.None);
        using var fresh = TokenKey.GenerateECDsa();
        var now = DateTimeOffset.UtcNow;
        KeyRingRecord[] records = [.. before!, new(fresh.KeyId, fresh.Algorithm, now, now.AddHours(1), 3600), new("not-stored", "ES256", now, now.AddHours(2), 3600)];

        await using (await store.LockAsync(CancellationToken.None))
        {
            // The new key is inserted first, then the ring names a key nobody stored: the whole save is rolled back.
            await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(records, [fresh], CancellationToken.None));
        }

        var after = await store.LoadRecordsAsync(CancellationToken.None);
        Assert.Equal(before, after);
        Assert.Equal(before!.Count, await ScalarAsync<long>("SELECT count(*) FROM tokenauthority.key_ring;"));
    }

    [Fact]
    public async Task SavingWithoutTheLockIsRefused()
    {
        var a = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        _ = a.Keys.Current;
        var store = a.Services.GetRequiredService<IKeyRingStore>();
        var records = await store.LoadRecordsAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(records!, [], CancellationToken.None));
        Assert.Contains("lock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLockIsExclusiveAcrossReplicasAndReleasedWithTheSession()
    {
        var a = (await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow), configure: s => s.Configure<KeyRingOptions>(o => o.LockTimeout = TimeSpan.FromMilliseconds(300)))).Services.GetRequiredService<IKeyRingStore>();
        var b = (await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow), configure: s => s.Configure<KeyRingOptions>(o => o.LockTimeout = TimeSpan.FromMilliseconds(300)))).Services.GetRequiredService<IKeyRingStore>();
        var held = await a.LockAsync(CancellationToken.None);
        await Assert.ThrowsAsync<TimeoutException>(() => b.LockAsync(CancellationToken.None));
        await held.DisposeAsync();
        var second = await b.LockAsync(CancellationToken.None);

        // The holder "crashes" (its session ends without an unlock): PostgreSQL releases the lock with the session.
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted;", connection);
            Assert.Equal(1L, (long)(await kill.ExecuteScalarAsync())!);
        }

        await (await a.LockAsync(CancellationToken.None)).DisposeAsync();
        await second.DisposeAsync(); // its session is gone: disposing is quiet
    }

    private async Task<Replica> StartAsync(TimeProvider clock, string? keys = null, Action<IServiceCollection>? configure = null)
    {
        var replica = await Replica.StartAsync(_database, keys ?? _keys, clock, services =>
        {
            services.Configure<KeyRingOptions>(o =>
            {
                o.Algorithm = "ES256";
                o.JwksMaxAge = TimeSpan.FromMinutes(5);
                o.RefreshInterval = TimeSpan.FromMinutes(1);
                o.RotationInterval = TimeSpan.FromHours(1);
            });
            configure?.Invoke(services);
        });
        lock (_replicas)
        {
            _replicas.Add(replica);
        }

        return replica;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
