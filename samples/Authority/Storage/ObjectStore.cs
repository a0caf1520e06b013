using Microsoft.Data.Sqlite;
using System.Globalization;
using TokenAuthority.Binding;
using TokenAuthority.Samples.Authority.Bootstrap;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// The Authority's objects (service accounts, pods, secrets, nodes) in an embedded SQLite database.
/// Parameterised commands only; one short-lived pooled connection per operation; WAL journaling.
/// Cluster-scoped objects are stored with an empty namespace so that the uniqueness constraint holds
/// (SQLite treats NULLs as distinct).
/// </summary>
internal sealed class ObjectStore(DataDirectory directory, TimeProvider time) : IObjectStore
{
    private const int SchemaVersion = 1;

    private const int SqliteConstraint = 19;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = directory.Database,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the schema on first start (with the <c>default</c> service account of namespace <c>default</c>).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var version = Command(connection, transaction, "PRAGMA user_version;"))
        {
            var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (current == SchemaVersion)
            {
                return;
            }

            if (current != 0)
            {
                throw new InvalidOperationException($"The database \"{directory.Database}\" has schema version {current}; this sample knows version {SchemaVersion}.");
            }
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TABLE objects (
                kind                 TEXT NOT NULL,
                namespace            TEXT NOT NULL,
                name                 TEXT NOT NULL,
                uid                  TEXT NOT NULL UNIQUE,
                creation_timestamp   TEXT NOT NULL,
                service_account_name TEXT NULL,
                node_name            TEXT NULL,
                UNIQUE (kind, namespace, name)
            );
            """, cancellationToken);
        await InsertAsync(connection, transaction, NewObject(BoundObjectKinds.ServiceAccount, "default", "default"), cancellationToken);
        await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {SchemaVersion};", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Stores a new object with a fresh uid and creation time. A pod is stored only if its service account
    /// exists (checked in the same statement, so a concurrent delete cannot slip in between).
    /// </summary>
    public async Task<CreateResult> CreateAsync(string kind, string? @namespace, string name, string? serviceAccountName, string? nodeName, CancellationToken cancellationToken)
    {
        var value = NewObject(kind, @namespace, name, serviceAccountName, nodeName);
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            if (kind == BoundObjectKinds.Pod)
            {
                await using var command = Command(connection, null, """
                    INSERT INTO objects (kind, namespace, name, uid, creation_timestamp, service_account_name, node_name)
                    SELECT $kind, $namespace, $name, $uid, $created, $serviceAccount, $node
                    WHERE EXISTS (SELECT 1 FROM objects WHERE kind = $serviceAccountKind AND namespace = $namespace AND name = $serviceAccount);
                    """);
                Bind(command, value);
                command.Parameters.AddWithValue("$serviceAccountKind", BoundObjectKinds.ServiceAccount);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return new CreateResult(CreateOutcome.ServiceAccountNotFound, null);
                }
            }
            else
            {
                await InsertAsync(connection, null, value, cancellationToken);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            return new CreateResult(CreateOutcome.AlreadyExists, null);
        }

        return new CreateResult(CreateOutcome.Created, value);
    }

    /// <summary>Reads one object, or <see langword="null"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="namespace">The namespace; <see langword="null"/> for nodes.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Checked before each database call.</param>
    /// <param name="commandTimeoutSeconds">How long to wait for a locked database (the connection's default when null).</param>
    public async Task<StoredObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken, int? commandTimeoutSeconds = null)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT kind, namespace, name, uid, creation_timestamp, service_account_name, node_name FROM objects WHERE kind = $kind AND namespace = $namespace AND name = $name;");
        if (commandTimeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$namespace", @namespace ?? string.Empty);
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Lists the objects of a kind in a namespace (or cluster-wide for nodes), ordered by name.</summary>
    public async Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT kind, namespace, name, uid, creation_timestamp, service_account_name, node_name FROM objects WHERE kind = $kind AND namespace = $namespace ORDER BY name;");
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$namespace", @namespace ?? string.Empty);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredObject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    /// <summary>Removes an object and returns it, or <see langword="null"/> when it did not exist.</summary>
    public async Task<StoredObject?> DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "DELETE FROM objects WHERE kind = $kind AND namespace = $namespace AND name = $name RETURNING kind, namespace, name, uid, creation_timestamp, service_account_name, node_name;");
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$namespace", @namespace ?? string.Empty);
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Checks that the database answers (for <c>/healthz</c>).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT 1 FROM objects LIMIT 1;", cancellationToken);
    }

    private StoredObject NewObject(string kind, string? @namespace, string name, string? serviceAccountName = null, string? nodeName = null) =>
        new(kind, @namespace, name, Guid.NewGuid().ToString(), time.GetUtcNow(), serviceAccountName, nodeName);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, StoredObject value, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO objects (kind, namespace, name, uid, creation_timestamp, service_account_name, node_name)
            VALUES ($kind, $namespace, $name, $uid, $created, $serviceAccount, $node);
            """);
        Bind(command, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Bind(SqliteCommand command, StoredObject value)
    {
        command.Parameters.AddWithValue("$kind", value.Kind);
        command.Parameters.AddWithValue("$namespace", value.Namespace ?? string.Empty);
        command.Parameters.AddWithValue("$name", value.Name);
        command.Parameters.AddWithValue("$uid", value.Uid);
        command.Parameters.AddWithValue("$created", (value.CreationTimestamp ?? time.GetUtcNow()).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$serviceAccount", (object?)value.ServiceAccountName ?? DBNull.Value);
        command.Parameters.AddWithValue("$node", (object?)value.NodeName ?? DBNull.Value);
    }

    private static StoredObject Read(SqliteDataReader reader)
    {
        var @namespace = reader.GetString(1);
        return new StoredObject(
            reader.GetString(0),
            @namespace.Length == 0 ? null : @namespace,
            reader.GetString(2),
            reader.GetString(3),
            DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6));
    }
}
