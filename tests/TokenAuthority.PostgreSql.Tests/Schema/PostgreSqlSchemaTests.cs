using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.PostgreSql.Storage;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.Schema;

[Collection(SharedPostgres.Name)]
public sealed class PostgreSqlSchemaTests(PostgresCluster cluster)
{
    [Fact]
    public async Task ManyProcessesEnsuringTogetherCreateItOnceAndAgainIsANoOp()
    {
        var database = await cluster.CreateDatabaseAsync();
        var instances = Enumerable.Range(0, 8).Select(_ => New(database)).ToArray();
        try
        {
            await Task.WhenAll(instances.Select(d => Task.Run(() => d.EnsureSchemaAsync(CancellationToken.None))));
            await New(database).EnsureSchemaAsync(CancellationToken.None);
            Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM tokenauthority.schema_version;"));
            Assert.Equal(PostgreSqlDatabase.SchemaVersion, await ScalarAsync<int>(database, "SELECT version FROM tokenauthority.schema_version;"));
        }
        finally
        {
            foreach (var d in instances)
            {
                await d.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PooledConnectionsAreReusedWithoutAResetStatement()
    {
        // The package keeps no session state on pooled connections, so it skips Npgsql's DISCARD ALL on reuse (one
        // statement fewer per lookup). Seen from the server: a session setting survives the connection's return.
        var database = await cluster.CreateDatabaseAsync();
        await using var instance = New(database + ";Maximum Pool Size=1");
        await using (var first = await instance.DataSource.OpenConnectionAsync())
        await using (var set = new NpgsqlCommand("SELECT set_config('tokenauthority.test', 'kept', false);", first))
        {
            await set.ExecuteScalarAsync();
        }

        await using var second = await instance.DataSource.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("SELECT current_setting('tokenauthority.test', true);", second);
        Assert.Equal("kept", await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ANewerSchemaIsRefusedWithAMessage()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using (var first = New(database))
        {
            await first.EnsureSchemaAsync(CancellationToken.None);
        }

        await ScalarAsync<int>(database, "INSERT INTO tokenauthority.schema_version VALUES (99, now()) RETURNING version;");
        await using var second = New(database);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.EnsureSchemaAsync(CancellationToken.None));
        Assert.Contains("has version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherSchemaNameIsAnotherRing()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var a = New(database);
        await using var b = New(database, "second");
        await a.EnsureSchemaAsync(CancellationToken.None);
        await b.EnsureSchemaAsync(CancellationToken.None);
        Assert.Equal(2L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'key_ring';"));
        Assert.NotEqual(a.RingLockId, b.RingLockId);
        Assert.Equal("second_changes", b.Channel);
    }

    private static PostgreSqlDatabase New(string connectionString, string schema = "tokenauthority") =>
        new(Options.Create(new PostgreSqlOptions { ConnectionString = connectionString, Schema = schema }), NullLogger<PostgreSqlDatabase>.Instance);

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
