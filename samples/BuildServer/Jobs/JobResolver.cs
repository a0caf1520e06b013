using Microsoft.Extensions.Options;
using TokenAuthority.Binding;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>
/// Answers the token authority's lookups from the build database: the service account jobs run as, and running jobs.
/// It is asked when a job's token is issued and on every request that presents one, so completing a job makes its
/// tokens fail from the next request on. A completed job is answered as absent, not as "being deleted": the core would
/// keep accepting the tokens of an object with a deletion timestamp for 60 s, as Kubernetes does. A database failure
/// propagates, and the core then refuses the token (fail closed).
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite runs its "async" methods synchronously, so the core cannot abandon a lookup that waits on a
/// locked database: the lookup must end by itself. Its busy timeout is therefore the core's
/// <see cref="TokenAuthorityOptions.ResolverTimeout"/> (SQLite counts whole seconds: rounded down, at least one), and
/// the token that fires at that timeout is passed to every database call.
/// </remarks>
internal sealed class JobResolver(JobStore store, IOptions<TokenAuthorityOptions> options) : IBoundObjectResolver
{
    private readonly int _commandTimeoutSeconds = Math.Max(1, (int)Math.Floor(options.Value.ResolverTimeout.TotalSeconds));

    public async ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        if (key.Namespace is not { } @namespace)
        {
            return null; // nothing here is cluster-scoped (no nodes)
        }

        switch (key.Kind)
        {
            case BoundObjectKinds.ServiceAccount:
                var uid = await store.GetServiceAccountUidAsync(@namespace, key.Name, _commandTimeoutSeconds, cancellationToken);
                return uid is null ? null : new BoundObject { Kind = key.Kind, Namespace = @namespace, Name = key.Name, Uid = uid };

            case JobBinding.Kind:
                var job = await store.GetRunningAsync(@namespace, key.Name, _commandTimeoutSeconds, cancellationToken);
                return job is null
                    ? null
                    : new BoundObject { Kind = JobBinding.Kind, Namespace = job.Namespace, Name = job.Name, Uid = job.Uid, ServiceAccountName = job.ServiceAccountName };

            default:
                return null; // no pods, secrets or nodes in a build server
        }
    }
}
