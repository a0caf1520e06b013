using TokenAuthority.Binding;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// Answers the core's lookups (on every TokenRequest and every verification) from the object store, so that
/// deleting an object makes the tokens bound to it fail from the next request on. A database failure
/// propagates, and the core then fails closed.
/// </summary>
internal sealed class SqliteBoundObjectResolver(ObjectStore store) : IBoundObjectResolver
{
    public async ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        if (key.Kind is not (BoundObjectKinds.ServiceAccount or BoundObjectKinds.Pod or BoundObjectKinds.Secret or BoundObjectKinds.Node))
        {
            return null;
        }

        var found = await store.GetAsync(key.Kind, key.Kind == BoundObjectKinds.Node ? null : key.Namespace, key.Name, cancellationToken);
        return found is null
            ? null
            : new BoundObject
            {
                Kind = found.Kind,
                Namespace = found.Namespace,
                Name = found.Name,
                Uid = found.Uid,
                ServiceAccountName = found.ServiceAccountName,
                NodeName = found.NodeName,
            };
    }
}
