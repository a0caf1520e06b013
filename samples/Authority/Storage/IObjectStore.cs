namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// The objects API's store, whichever database holds it (<c>Storage:Provider</c>): the embedded SQLite
/// <see cref="ObjectStore"/> or the shared PostgreSQL one (<see cref="PostgreSqlObjectStoreAdapter"/>).
/// Database failures surface as <see cref="System.Data.Common.DbException"/>.
/// </summary>
internal interface IObjectStore
{
    /// <summary>Creates the schema if needed and the <c>default</c> service account of namespace <c>default</c>.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new object with a fresh uid; a pod only if its service account exists.</summary>
    Task<CreateResult> CreateAsync(string kind, string? @namespace, string name, string? serviceAccountName, string? nodeName, CancellationToken cancellationToken);

    /// <summary>Reads one object, or <see langword="null"/>.</summary>
    Task<StoredObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken, int? commandTimeoutSeconds = null);

    /// <summary>Lists the objects of a kind in a namespace (or cluster-wide for nodes), ordered by name.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken);

    /// <summary>Removes an object and returns it, or <see langword="null"/> when it did not exist.</summary>
    Task<StoredObject?> DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Checks that the database answers (for the <c>objects</c> readiness check).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
