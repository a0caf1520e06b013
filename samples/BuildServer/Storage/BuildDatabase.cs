using System.Globalization;
using Microsoft.Data.Sqlite;
using TokenAuthority.Samples.BuildServer.Bootstrap;
using TokenAuthority.Samples.BuildServer.Jobs;

namespace TokenAuthority.Samples.BuildServer.Storage;

/// <summary>
/// The embedded SQLite database of service accounts, jobs and artifacts (the same embedded default as the Authority
/// sample): WAL journaling, so that the resolver's reads never wait for a writer; one short-lived pooled connection per
/// operation; parameterised commands only.
/// </summary>
internal sealed class BuildDatabase(DataDirectory directory)
{
    private const int SchemaVersion = 1;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = directory.Database,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// Creates the schema on first start, with the service account every job runs as (its uid is generated once and
    /// kept, so tokens issued before a restart still match it).
    /// </summary>
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
                throw new InvalidOperationException($"The database \"{directory.Database}\" has schema version {current}; this sample knows version {SchemaVersion}. Delete the data directory to start afresh.");
            }
        }

        // jobs.id is AUTOINCREMENT so that an id, and the job name made from it, is never given twice: a completed
        // job's artifacts can never be mistaken for a later job's. Completed jobs stay, for their history; the resolver
        // answers only running ones.
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE service_accounts (
                namespace            TEXT NOT NULL,
                name                 TEXT NOT NULL,
                uid                  TEXT NOT NULL UNIQUE,
                PRIMARY KEY (namespace, name)
            );
            CREATE TABLE jobs (
                id                   INTEGER PRIMARY KEY AUTOINCREMENT,
                name                 TEXT NOT NULL UNIQUE,
                namespace            TEXT NOT NULL,
                uid                  TEXT NOT NULL UNIQUE,
                service_account_name TEXT NOT NULL,
                state                TEXT NOT NULL,
                created_at           TEXT NOT NULL,
                completed_at         TEXT NULL
            );
            CREATE TABLE artifacts (
                job                  TEXT NOT NULL,
                name                 TEXT NOT NULL,
                content              BLOB NOT NULL,
                size                 INTEGER NOT NULL,
                sha256               TEXT NOT NULL,
                created_at           TEXT NOT NULL,
                PRIMARY KEY (job, name)
            );
            """, cancellationToken);

        await using (var account = Command(connection, transaction, "INSERT INTO service_accounts (namespace, name, uid) VALUES ($namespace, $name, $uid);"))
        {
            account.Parameters.AddWithValue("$namespace", JobBinding.Namespace);
            account.Parameters.AddWithValue("$name", JobBinding.ServiceAccount);
            account.Parameters.AddWithValue("$uid", Guid.NewGuid().ToString());
            await account.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {SchemaVersion};", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Opens a pooled connection.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Checks that the database answers (for <c>/healthz</c>).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT 1 FROM jobs LIMIT 1;", cancellationToken);
    }

    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when given.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A timestamp as stored: ISO 8601, UTC.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads a stored timestamp.</summary>
    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
