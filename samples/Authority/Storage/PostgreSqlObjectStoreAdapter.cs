using TokenAuthority.Binding;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// The objects API on the PostgreSQL package's <see cref="PostgreSqlObjectStore"/> (<c>Storage:Provider</c> =
/// <c>PostgreSql</c>): the same rows every Authority on that database sees, and every delete notifies them all.
/// That store keeps no creation time, so objects read from it carry none.
/// </summary>
internal sealed class PostgreSqlObjectStoreAdapter(PostgreSqlObjectStore store) : IObjectStore
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // The schema is created at first use; the default service account once, by whichever Authority comes first.
        var result = await store.CreateAsync(BoundObjectKinds.ServiceAccount, "default", "default", cancellationToken: cancellationToken);
        if (result.Outcome is not (ObjectCreateOutcome.Created or ObjectCreateOutcome.AlreadyExists))
        {
            throw new InvalidOperationException("The default service account cannot be created in the PostgreSQL database: " + result.Message);
        }
    }

    public async Task<CreateResult> CreateAsync(string kind, string? @namespace, string name, string? serviceAccountName, string? nodeName, CancellationToken cancellationToken)
    {
        // The objects API names the service account of every pod it creates; pass it as given.
        var result = await store.CreateAsync(kind, @namespace, name, serviceAccountName ?? (kind == BoundObjectKinds.Pod ? "default" : null), nodeName, cancellationToken);
        return result.Outcome switch
        {
            ObjectCreateOutcome.Created when result.Created is { } created => new CreateResult(CreateOutcome.Created, ToStored(created)),
            ObjectCreateOutcome.AlreadyExists => new CreateResult(CreateOutcome.AlreadyExists, null),
            ObjectCreateOutcome.ServiceAccountNotFound => new CreateResult(CreateOutcome.ServiceAccountNotFound, null),
            _ => throw new InvalidOperationException($"Unexpected outcome {result.Outcome} from the PostgreSQL object store."),
        };
    }

    public async Task<StoredObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken, int? commandTimeoutSeconds = null) =>
        await store.GetAsync(new BoundObjectKey(kind, @namespace, name), cancellationToken) is { } found ? ToStored(found) : null;

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(kind, @namespace, cancellationToken)).Select(ToStored)];

    public async Task<StoredObject?> DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) =>
        await store.DeleteAsync(new BoundObjectKey(kind, @namespace, name), cancellationToken) is { } deleted ? ToStored(deleted) : null;

    public Task PingAsync(CancellationToken cancellationToken) =>
        store.GetAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, "default", "default"), cancellationToken);

    private static StoredObject ToStored(BoundObject value) =>
        new(value.Kind, value.Namespace, value.Name, value.Uid, null, value.ServiceAccountName, value.NodeName);
}
