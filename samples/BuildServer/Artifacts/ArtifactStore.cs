using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using TokenAuthority.Samples.BuildServer.Jobs;
using TokenAuthority.Samples.BuildServer.Storage;

namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>
/// Artifacts in the build database, keyed by job and name. Kept whole (at most <see cref="MaxBytes"/>) in a BLOB: a
/// sample's simplicity; a real server would stream them to blob storage. They outlive their job, as CI artifacts do.
/// </summary>
internal sealed class ArtifactStore(BuildDatabase database, TimeProvider time)
{
    /// <summary>The largest artifact, in bytes (1 MiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// Stores (or replaces) an artifact of a job, only while the job with <paramref name="jobUid"/> is running: the
    /// check and the write are one transaction, so a job completed since its token was verified stores nothing.
    /// </summary>
    public async Task<PutResult> PutAsync(string job, string jobUid, string name, byte[] content, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using (var running = BuildDatabase.Command(connection, transaction, "SELECT 1 FROM jobs WHERE name = $job AND uid = $uid AND state = $running;"))
        {
            running.Parameters.AddWithValue("$job", job);
            running.Parameters.AddWithValue("$uid", jobUid);
            running.Parameters.AddWithValue("$running", nameof(JobState.Running));
            if (await running.ExecuteScalarAsync(cancellationToken) is null)
            {
                return new PutResult(PutOutcome.JobNotRunning, null);
            }
        }

        bool existed;
        await using (var exists = BuildDatabase.Command(connection, transaction, "SELECT 1 FROM artifacts WHERE job = $job AND name = $name;"))
        {
            exists.Parameters.AddWithValue("$job", job);
            exists.Parameters.AddWithValue("$name", name);
            existed = await exists.ExecuteScalarAsync(cancellationToken) is not null;
        }

        var artifact = new ArtifactInfo(job, name, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)), time.GetUtcNow());
        await using (var write = BuildDatabase.Command(connection, transaction, """
            INSERT INTO artifacts (job, name, content, size, sha256, created_at) VALUES ($job, $name, $content, $size, $sha256, $created)
            ON CONFLICT (job, name) DO UPDATE SET content = excluded.content, size = excluded.size, sha256 = excluded.sha256, created_at = excluded.created_at;
            """))
        {
            write.Parameters.AddWithValue("$job", job);
            write.Parameters.AddWithValue("$name", name);
            write.Parameters.Add("$content", SqliteType.Blob).Value = content;
            write.Parameters.AddWithValue("$size", artifact.Size);
            write.Parameters.AddWithValue("$sha256", artifact.Sha256);
            write.Parameters.AddWithValue("$created", BuildDatabase.Timestamp(artifact.CreatedAt!.Value));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PutResult(existed ? PutOutcome.Replaced : PutOutcome.Created, artifact);
    }

    /// <summary>The content of an artifact, or <see langword="null"/>.</summary>
    public async Task<byte[]?> GetContentAsync(string job, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, "SELECT content FROM artifacts WHERE job = $job AND name = $name;");
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>The artifacts of a job, ordered by name.</summary>
    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(string job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = BuildDatabase.Command(connection, null, "SELECT name, size, sha256, created_at FROM artifacts WHERE job = $job ORDER BY name;");
        command.Parameters.AddWithValue("$job", job);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<ArtifactInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ArtifactInfo(job, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), BuildDatabase.ParseTimestamp(reader.GetString(3))));
        }

        return items;
    }
}
