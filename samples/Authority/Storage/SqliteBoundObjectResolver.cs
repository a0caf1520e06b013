using Microsoft.Extensions.Options;
using TokenAuthority.Binding;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// Answers the core's lookups (on every TokenRequest and every verification) from the object store, so that
/// deleting an object makes the tokens bound to it fail from the next request on. A database failure
/// propagates, and the core then fails closed.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite runs its "async" methods synchronously, so the core cannot abandon a lookup that waits on a
/// locked database: the lookup must end by itself. Its busy timeout is therefore the core's
/// <see cref="TokenAuthorityOptions.ResolverTimeout"/> (SQLite counts whole seconds: rounded down, at least one), and
/// the token that fires at that timeout is passed to every database call.
/// </remarks>
internal sealed class SqliteBoundObjectResolver(IObjectStore store, IOptions<TokenAuthorityOptions> options) : IBoundObjectResolver
{
    private readonly int _commandTimeoutSeconds = CommandTimeoutSeconds(options.Value.ResolverTimeout);

    /// <summary>The busy timeout that never exceeds the resolver timeout.</summary>
    public static int CommandTimeoutSeconds(TimeSpan resolverTimeout) => Math.Max(1, (int)Math.Floor(resolverTimeout.TotalSeconds));

    public async ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        if (key.Kind is not (BoundObjectKinds.ServiceAccount or BoundObjectKinds.Pod or BoundObjectKinds.Secret or BoundObjectKinds.Node))
        {
            return null;
        }

        var found = await store.GetAsync(key.Kind, key.Kind == BoundObjectKinds.Node ? null : key.Namespace, key.Name, cancellationToken, _commandTimeoutSeconds);
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
