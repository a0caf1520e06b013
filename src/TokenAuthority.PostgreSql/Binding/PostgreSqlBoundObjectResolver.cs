using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.PostgreSql.Binding;

/// <summary>
/// Answers the core's lookups from the shared objects table. A database failure or timeout propagates, and the core
/// then fails closed; the command timeout never exceeds the resolver timeout, and the cancellation token reaches Npgsql.
/// </summary>
internal sealed class PostgreSqlBoundObjectResolver(PostgreSqlDatabase database, IOptions<TokenAuthorityOptions> options) : IBoundObjectResolver
{
    private readonly int _commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.Value.ResolverTimeout.TotalSeconds));

    private long _queries;

    /// <summary>How many lookups reached the database (tests check that a warm verification makes none).</summary>
    internal long Queries => Interlocked.Read(ref _queries);

    public async ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT kind, namespace, name, uid, deletion_timestamp, service_account_name, node_name FROM {database.Objects} WHERE kind = @kind AND namespace = @ns AND name = @name;", connection)
        {
            CommandTimeout = _commandTimeoutSeconds,
        };
        PostgreSqlObjectStore.AddKey(command, key);
        return await PostgreSqlObjectStore.ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }
}
