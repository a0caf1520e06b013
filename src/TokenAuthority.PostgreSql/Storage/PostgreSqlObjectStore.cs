using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Notifications;

namespace TokenAuthority.PostgreSql.Storage;

/// <summary>
/// The objects tokens are bound to (service accounts, pods, secrets, nodes and registered kinds), shared by every
/// replica: create, get, mark deleted and delete. Every change notifies every replica (in the same statement, so the
/// notification is sent at commit and never for a change that did not happen), and this replica's resolver cache is
/// invalidated at once.
/// </summary>
public sealed class PostgreSqlObjectStore
{
    private const string Columns = "kind, namespace, name, uid, deletion_timestamp, service_account_name, node_name";

    private readonly PostgreSqlDatabase _database;
    private readonly IBoundObjectCacheInvalidator? _invalidator;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, string> _resources = new(StringComparer.Ordinal)
    {
        [BoundObjectKinds.ServiceAccount] = "serviceaccounts",
    };

    internal PostgreSqlObjectStore(PostgreSqlDatabase database, IOptions<TokenAuthorityOptions> options, TimeProvider time, IBoundObjectCacheInvalidator? invalidator = null)
    {
        _database = database;
        _invalidator = invalidator;
        _time = time;
        foreach (var kind in BoundObjectKind.BuiltIn.Concat(options.Value.BoundObjectKinds))
        {
            _resources.TryAdd(kind.Kind, kind.Resource);
        }
    }

    /// <summary>
    /// Stores a new object with a fresh uid. A pod is stored only if its service account exists (checked in the same
    /// statement, so a concurrent delete cannot slip in between). Names are not validated here: validate them as the API does.
    /// </summary>
    /// <param name="kind">The kind, e.g. <c>Pod</c>.</param>
    /// <param name="namespace">The namespace; <see langword="null"/> for cluster-scoped kinds.</param>
    /// <param name="name">The name.</param>
    /// <param name="serviceAccountName">For a pod: the service account it runs as (default <c>default</c>).</param>
    /// <param name="nodeName">For a pod: the node it is on, if any.</param>
    /// <param name="cancellationToken">Cancels the database call.</param>
    public async Task<ObjectCreateResult> CreateAsync(string kind, string? @namespace, string name, string? serviceAccountName = null, string? nodeName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var isPod = kind == BoundObjectKinds.Pod;
        if (isPod)
        {
            serviceAccountName = string.IsNullOrEmpty(serviceAccountName) ? "default" : serviceAccountName;
        }

        var key = new BoundObjectKey(kind, @namespace, name);
        var guard = isPod ? $"WHERE EXISTS (SELECT 1 FROM {_database.Objects} WHERE kind = @saKind AND namespace = @ns AND name = @sa)" : string.Empty;
        var sql = $"""
            WITH inserted AS (
                INSERT INTO {_database.Objects} (kind, namespace, name, uid, creation_timestamp, service_account_name, node_name)
                SELECT @kind, @ns, @name, @uid, @created, @sa, @node {guard}
                ON CONFLICT (kind, namespace, name) DO NOTHING
                RETURNING {Columns})
            SELECT {Columns}, pg_notify(@channel, @payload)::text FROM inserted;
            """;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        BoundObject? created;
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            command.Parameters.AddWithValue("kind", kind);
            command.Parameters.AddWithValue("ns", @namespace ?? string.Empty);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("uid", Guid.NewGuid().ToString());
            command.Parameters.AddWithValue("created", _time.GetUtcNow());
            command.Parameters.AddWithValue("sa", (object?)serviceAccountName ?? DBNull.Value);
            command.Parameters.AddWithValue("node", (object?)nodeName ?? DBNull.Value);
            command.Parameters.AddWithValue("saKind", BoundObjectKinds.ServiceAccount);
            AddNotification(command, key);
            created = await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        }

        if (created is not null)
        {
            // A recreated object has a new uid: tokens of the old one must not match a remembered answer.
            _invalidator?.Invalidate(key);
            return new ObjectCreateResult(ObjectCreateOutcome.Created, created, null);
        }

        // As Kubernetes orders it: admission (the service account must exist) before storage (the name must be free).
        if (isPod && await GetAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, @namespace, serviceAccountName!), cancellationToken).ConfigureAwait(false) is null)
        {
            return new ObjectCreateResult(ObjectCreateOutcome.ServiceAccountNotFound, null,
                $"error looking up service account {@namespace}/{serviceAccountName}: serviceaccount \"{serviceAccountName}\" not found");
        }

        return new ObjectCreateResult(ObjectCreateOutcome.AlreadyExists, null, $"{Resource(kind)} \"{name}\" already exists");
    }

    /// <summary>Reads one object, or <see langword="null"/> when it does not exist.</summary>
    public async Task<BoundObject?> GetAsync(BoundObjectKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_database.Objects} WHERE kind = @kind AND namespace = @ns AND name = @name;", connection);
        AddKey(command, key);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks an object as being deleted at <paramref name="when"/> (kept if it already was); its tokens are refused from
    /// 60 s after that moment. Returns the object, or <see langword="null"/> when it does not exist.
    /// </summary>
    public async Task<BoundObject?> MarkDeletedAsync(BoundObjectKey key, DateTimeOffset when, CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH updated AS (
                UPDATE {_database.Objects} SET deletion_timestamp = COALESCE(deletion_timestamp, @when)
                WHERE kind = @kind AND namespace = @ns AND name = @name
                RETURNING {Columns})
            SELECT {Columns}, pg_notify(@channel, @payload)::text FROM updated;
            """;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        AddKey(command, key);
        command.Parameters.AddWithValue("when", when);
        AddNotification(command, key);
        var marked = await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
        _invalidator?.Invalidate(key);
        return marked;
    }

    /// <summary>Removes an object and returns it, or <see langword="null"/> when it did not exist. Its tokens are refused from the next verification on, on every replica.</summary>
    public async Task<BoundObject?> DeleteAsync(BoundObjectKey key, CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH deleted AS (
                DELETE FROM {_database.Objects} WHERE kind = @kind AND namespace = @ns AND name = @name
                RETURNING {Columns})
            SELECT {Columns}, pg_notify(@channel, @payload)::text FROM deleted;
            """;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        AddKey(command, key);
        AddNotification(command, key);
        var deleted = await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);

        // After the delete commits: the very next verification on this replica asks the database.
        _invalidator?.Invalidate(key);
        return deleted;
    }

    /// <summary>Lists the objects of a kind in a namespace (<see langword="null"/> for cluster-scoped kinds), ordered by name.</summary>
    public async Task<IReadOnlyList<BoundObject>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_database.Objects} WHERE kind = @kind AND namespace = @ns ORDER BY name;", connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("ns", @namespace ?? string.Empty);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<BoundObject>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    private string Resource(string kind) => _resources.TryGetValue(kind, out var resource) ? resource : kind.ToLowerInvariant() + "s";

    private void AddNotification(NpgsqlCommand command, BoundObjectKey key)
    {
        command.Parameters.AddWithValue("channel", _database.Channel);
        command.Parameters.AddWithValue("payload", PostgreSqlChangeMessage.ForObject(key));
    }

    internal static void AddKey(NpgsqlCommand command, BoundObjectKey key)
    {
        command.Parameters.AddWithValue("kind", key.Kind);
        command.Parameters.AddWithValue("ns", key.Namespace ?? string.Empty);
        command.Parameters.AddWithValue("name", key.Name);
    }

    internal static async Task<BoundObject?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static BoundObject Read(NpgsqlDataReader reader)
    {
        var @namespace = reader.GetString(1);
        return new BoundObject
        {
            Kind = reader.GetString(0),
            Namespace = @namespace.Length == 0 ? null : @namespace,
            Name = reader.GetString(2),
            Uid = reader.GetString(3),
            DeletionTimestamp = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            ServiceAccountName = reader.IsDBNull(5) ? null : reader.GetString(5),
            NodeName = reader.IsDBNull(6) ? null : reader.GetString(6),
        };
    }
}
