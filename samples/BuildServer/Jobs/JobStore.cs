using Microsoft.Data.Sqlite;
using TokenAuthority.Samples.BuildServer.Storage;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>Creates, reads and completes jobs, and answers the resolver's lookups.</summary>
internal sealed class JobStore(BuildDatabase database, TimeProvider time)
{
    private const string Columns = "name, namespace, uid, service_account_name, state, created_at, completed_at";

    /// <summary>Creates a running job with a new name and uid.</summary>
    public async Task<Job> CreateAsync(CancellationToken cancellationToken)
    {
        var uid = Guid.NewGuid().ToString();
        var created = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // The name comes from the id, known only once the row is in: the uid holds its place until then.
        long id;
        await using (var insert = BuildDatabase.Command(connection, transaction, """
            INSERT INTO jobs (name, namespace, uid, service_account_name, state, created_at)
            VALUES ($uid, $namespace, $uid, $serviceAccount, $state, $created)
            RETURNING id;
            """))
        {
            insert.Parameters.AddWithValue("$uid", uid);
            insert.Parameters.AddWithValue("$namespace", JobBinding.Namespace);
            insert.Parameters.AddWithValue("$serviceAccount", JobBinding.ServiceAccount);
            insert.Parameters.AddWithValue("$state", nameof(JobState.Running));
            insert.Parameters.AddWithValue("$created", BuildDatabase.Timestamp(created));
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        var name = $"job-{id}";
        await using (var rename = BuildDatabase.Command(connection, transaction, "UPDATE jobs SET name = $name WHERE id = $id;"))
        {
            rename.Parameters.AddWithValue("$name", name);
            rename.Parameters.AddWithValue("$id", id);
            await rename.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new Job(name, JobBinding.Namespace, uid, JobBinding.ServiceAccount, JobState.Running, created, null);
    }

    /// <summary>Reads a job, running or completed, or <see langword="null"/>.</summary>
    public async Task<Job?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, $"SELECT {Columns} FROM jobs WHERE name = $name;");
        command.Parameters.AddWithValue("$name", name);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>
    /// Completes a running job and returns it; <see langword="null"/> when no job of that name is running. From the
    /// moment this commits the resolver no longer finds the job, so the next request with one of its tokens is refused.
    /// </summary>
    public async Task<Job?> CompleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, $"""
            UPDATE jobs SET state = $completed, completed_at = $now
            WHERE name = $name AND state = $running
            RETURNING {Columns};
            """);
        command.Parameters.AddWithValue("$completed", nameof(JobState.Completed));
        command.Parameters.AddWithValue("$running", nameof(JobState.Running));
        command.Parameters.AddWithValue("$now", BuildDatabase.Timestamp(time.GetUtcNow()));
        command.Parameters.AddWithValue("$name", name);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Reads a running job for the resolver, or <see langword="null"/> (none, or completed).</summary>
    /// <param name="namespace">The token's namespace.</param>
    /// <param name="name">The job's name.</param>
    /// <param name="commandTimeoutSeconds">How long to wait for a locked database; never more than the resolver timeout.</param>
    /// <param name="cancellationToken">Fires at the resolver timeout.</param>
    public async Task<Job?> GetRunningAsync(string @namespace, string name, int commandTimeoutSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, $"SELECT {Columns} FROM jobs WHERE namespace = $namespace AND name = $name AND state = $running;");
        command.CommandTimeout = commandTimeoutSeconds;
        command.Parameters.AddWithValue("$namespace", @namespace);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$running", nameof(JobState.Running));
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>The uid of a service account for the resolver, or <see langword="null"/> when it does not exist.</summary>
    public async Task<string?> GetServiceAccountUidAsync(string @namespace, string name, int commandTimeoutSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, "SELECT uid FROM service_accounts WHERE namespace = $namespace AND name = $name;");
        command.CommandTimeout = commandTimeoutSeconds;
        command.Parameters.AddWithValue("$namespace", @namespace);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<Job?> ReadOneAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Job(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            Enum.Parse<JobState>(reader.GetString(4)),
            BuildDatabase.ParseTimestamp(reader.GetString(5)),
            reader.IsDBNull(6) ? null : BuildDatabase.ParseTimestamp(reader.GetString(6)));
    }
}
