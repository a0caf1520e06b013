using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.PostgreSql.Diagnostics;

namespace TokenAuthority.PostgreSql.Storage;

/// <summary>
/// The database every component of the package uses: one pooled <see cref="NpgsqlDataSource"/>, the schema's
/// qualified table names, and the schema itself, created or upgraded once per process under an advisory lock so that
/// replicas starting together create it exactly once.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this package writes and reads.</summary>
    public const int SchemaVersion = 1;

    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public PostgreSqlDatabase(IOptions<PostgreSqlOptions> options, ILogger<PostgreSqlDatabase> logger)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            throw new InvalidOperationException("No PostgreSQL connection string is set: pass one to AddPostgreSql(...).");
        }

        if (!IsValidSchemaName(o.Schema))
        {
            throw new InvalidOperationException($"The PostgreSQL schema name \"{o.Schema}\" is not allowed: use 1 to 63 lower-case letters, digits and underscores, starting with a letter.");
        }

        _logger = logger;
        Schema = o.Schema;
        ConnectionString = o.ConnectionString;
        // The pool's connections never carry session state (the ring's session lock and LISTEN use connections of their
        // own), so the DISCARD ALL that Npgsql sends on reusing one would be a wasted statement per lookup.
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(o.ConnectionString) { NoResetOnClose = true }.ConnectionString);
        Channel = o.Schema + "_changes";
        Objects = $"\"{o.Schema}\".objects";
        Keys = $"\"{o.Schema}\".key_ring";
        Versions = $"\"{o.Schema}\".schema_version";
        SchemaLockId = LockId("tokenauthority:schema:" + o.Schema);
        RingLockId = LockId("tokenauthority:ring:" + o.Schema);
    }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>The LISTEN/NOTIFY channel of the schema.</summary>
    public string Channel { get; }

    public string Objects { get; }

    public string Keys { get; }

    public string Versions { get; }

    public long SchemaLockId { get; }

    public long RingLockId { get; }

    /// <summary>Opens a pooled connection, creating the schema first when this process has not yet.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates or upgrades the schema once per process: in one transaction holding an advisory lock, so that of several
    /// replicas starting together one creates it and the others find it. A failure is thrown and the next call tries again.
    /// </summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@id);", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("id", SchemaLockId);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var current = 0;
            await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL;", connection, transaction))
            {
                exists.Parameters.AddWithValue("table", Versions);
                if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {Versions};", connection, transaction);
                    current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            if (current > SchemaVersion)
            {
                throw new InvalidOperationException($"The PostgreSQL schema \"{Schema}\" has version {current}; this version of TokenAuthority.PostgreSql knows up to {SchemaVersion}. Upgrade every replica to the same version.");
            }

            if (current < SchemaVersion)
            {
                // Each step upgrades from the version before it; version 1 creates everything.
                if (current < 1)
                {
                    await using var create = new NpgsqlCommand(CreateVersion1(), connection, transaction);
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand($"INSERT INTO {Versions} (version, applied_at) VALUES (@version, now());", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", SchemaVersion);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _logger.SchemaCreated(Schema, current, SchemaVersion);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private string CreateVersion1() => $"""
        CREATE SCHEMA IF NOT EXISTS "{Schema}";
        CREATE TABLE IF NOT EXISTS {Versions} (
            version    integer     NOT NULL PRIMARY KEY,
            applied_at timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS {Objects} (
            kind                 text        NOT NULL,
            namespace            text        NOT NULL,
            name                 text        NOT NULL,
            uid                  text        NOT NULL UNIQUE,
            creation_timestamp   timestamptz NOT NULL,
            deletion_timestamp   timestamptz NULL,
            service_account_name text        NULL,
            node_name            text        NULL,
            PRIMARY KEY (kind, namespace, name)
        );
        CREATE TABLE IF NOT EXISTS {Keys} (
            kid                        text        NOT NULL PRIMARY KEY,
            algorithm                  text        NOT NULL,
            published                  timestamptz NOT NULL,
            activates                  timestamptz NOT NULL,
            max_token_lifetime_seconds bigint      NOT NULL,
            protected_key              bytea       NOT NULL
        );
        """;

    /// <summary>A stable 64-bit advisory lock id for a name (the first 8 bytes of its SHA-256).</summary>
    private static long LockId(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);

    /// <summary>Whether a schema name is a plain lower-case identifier (it is quoted into SQL, never passed as a value).</summary>
    public static bool IsValidSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    public ValueTask DisposeAsync()
    {
        _schemaGate.Dispose();
        return DataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _schemaGate.Dispose();
        DataSource.Dispose();
    }
}
