using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.PostgreSql.Diagnostics;
using Npgsql;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.PostgreSql.Notifications;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.PostgreSql.Keys;

/// <summary>
/// A key ring in PostgreSQL, shared by every replica: one row per key (its times and its private key encrypted with
/// ASP.NET Core Data Protection, so a dump of the database alone cannot sign). The ring's lock is a session advisory
/// lock on a connection of its own, which PostgreSQL releases when the holder dies; a save is one transaction, so a
/// crash leaves the old ring or the new one.
/// </summary>
internal sealed class PostgreSqlKeyRingStore : IKeyRingStore
{
    /// <summary>The Data Protection purpose of the private keys (with the key id as a sub-purpose, so rows cannot be swapped).</summary>
    public const string Purpose = "TokenAuthority.PostgreSql.KeyRing.v1";

    private const string Remedy = "Every replica must use the same Data Protection key ring (PersistKeysTo… outside this database) and application name";

    private readonly PostgreSqlDatabase _database;
    private readonly IDataProtectionProvider _protection;
    private readonly TimeSpan _lockTimeout;

    public PostgreSqlKeyRingStore(PostgreSqlDatabase database, IDataProtectionProvider protection, IOptions<KeyRingOptions> options, IOptions<KeyManagementOptions> dataProtection, ILogger<PostgreSqlKeyRingStore> logger)
    {
        _database = database;
        _protection = protection;
        _lockTimeout = options.Value.LockTimeout;
        if (dataProtection.Value.XmlRepository is null)
        {
            // The default repository is per machine (or per user): replicas elsewhere could not read the ring.
            logger.DataProtectionKeysNotConfigured();
        }
    }

    public string Description => $"PostgreSQL table {_database.Keys}";

    public async Task<IReadOnlyList<KeyRingRecord>?> LoadRecordsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT kid, algorithm, published, activates, max_token_lifetime_seconds FROM {_database.Keys} ORDER BY activates, kid;", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<KeyRingRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new KeyRingRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt64(4)));
        }

        return records.Count == 0 ? null : records;
    }

    public async Task<TokenKey> LoadKeyAsync(KeyRingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[]? protectedKey;
        await using (var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand($"SELECT protected_key FROM {_database.Keys} WHERE kid = @kid;", connection))
        {
            command.Parameters.AddWithValue("kid", record.KeyId);
            protectedKey = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }

        if (protectedKey is null)
        {
            throw new InvalidOperationException($"Key ring {Description} has no private key for {record.KeyId}; it was removed by another replica, or the table was edited.");
        }

        byte[] pem;
        try
        {
            pem = Protector(record.KeyId).Unprotect(protectedKey);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"The private key {record.KeyId} in {Description} cannot be decrypted with this instance's Data Protection keys. {Remedy}.", ex);
        }

        try
        {
            var key = TokenKey.ParsePem(Encoding.ASCII.GetString(pem))[0];
            if (!string.Equals(key.KeyId, record.KeyId, StringComparison.Ordinal))
            {
                key.Dispose();
                throw new InvalidOperationException($"The private key stored for {record.KeyId} in {Description} is another key; restore the table from a backup.");
            }

            return key;
        }
        finally
        {
            Array.Clear(pem);
        }
    }

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _database.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        // A connection of its own, outside the pool: closing it ends the session, which releases the lock even when
        // the unlock is never sent (the holder crashed), and no pooled connection is left holding it.
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var started = Environment.TickCount64;
            while (true)
            {
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@id);", connection))
                {
                    command.Parameters.AddWithValue("id", _database.RingLockId);
                    if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        return new Held(connection);
                    }
                }

                if (Environment.TickCount64 - started >= _lockTimeout.TotalMilliseconds)
                {
                    throw new TimeoutException($"The key ring lock of {Description} was held by another replica for more than {_lockTimeout}.");
                }

                // Real time, not the injected clock: this waits for another replica's rotation (milliseconds).
                await Task.Delay(25, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task SaveAsync(IReadOnlyList<KeyRingRecord> records, IReadOnlyList<TokenKey> newKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(newKeys);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The lock must be held (by this process, on its own connection): a save without it could race a rotation.
        await using (var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = @id AND pid <> pg_backend_pid());", connection, transaction))
        {
            check.Parameters.AddWithValue("id", _database.RingLockId);
            if (!(bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                throw new InvalidOperationException($"Key ring {Description}: SaveAsync was called without holding the ring's lock.");
            }
        }

        foreach (var key in newKeys)
        {
            var pem = Encoding.ASCII.GetBytes(key.ExportPrivateKeyPem());
            try
            {
                var record = records.FirstOrDefault(r => r.KeyId == key.KeyId)
                    ?? throw new InvalidOperationException($"Key ring {Description}: the new key {key.KeyId} has no record.");
                await using var insert = new NpgsqlCommand($"""
                    INSERT INTO {_database.Keys} (kid, algorithm, published, activates, max_token_lifetime_seconds, protected_key)
                    VALUES (@kid, @alg, @published, @activates, @max, @key);
                    """, connection, transaction);
                AddRecord(insert, record);
                insert.Parameters.AddWithValue("key", Protector(key.KeyId).Protect(pem));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(pem);
            }
        }

        foreach (var record in records.Where(r => !newKeys.Any(k => k.KeyId == r.KeyId)))
        {
            await using var update = new NpgsqlCommand($"""
                UPDATE {_database.Keys} SET algorithm = @alg, published = @published, activates = @activates, max_token_lifetime_seconds = @max
                WHERE kid = @kid;
                """, connection, transaction);
            AddRecord(update, record);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException($"Key ring {Description}: the ring names key {record.KeyId}, which is not stored.");
            }
        }

        await using (var delete = new NpgsqlCommand($"DELETE FROM {_database.Keys} WHERE NOT (kid = ANY(@kids)); SELECT pg_notify(@channel, @payload);", connection, transaction))
        {
            delete.Parameters.AddWithValue("kids", records.Select(r => r.KeyId).ToArray());
            delete.Parameters.AddWithValue("channel", _database.Channel);
            delete.Parameters.AddWithValue("payload", PostgreSqlChangeMessage.Ring);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private IDataProtector Protector(string keyId) => _protection.CreateProtector(Purpose, keyId);

    private static void AddRecord(NpgsqlCommand command, KeyRingRecord record)
    {
        command.Parameters.AddWithValue("kid", record.KeyId);
        command.Parameters.AddWithValue("alg", record.Algorithm);
        command.Parameters.AddWithValue("published", record.Published);
        command.Parameters.AddWithValue("activates", record.Activates);
        command.Parameters.AddWithValue("max", record.MaxTokenLifetimeSeconds);
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all();", connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The session ends below, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
