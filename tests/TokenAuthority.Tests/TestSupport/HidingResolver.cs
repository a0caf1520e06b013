using TokenAuthority.Binding;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// Answers from a store, except that hidden keys are "not found" and failing kinds throw: a change the store (and
/// so the resolver cache) is never told of, as with a host resolver that cannot signal. Counts its lookups.
/// </summary>
public sealed class HidingResolver(InMemoryBoundObjectResolver store) : IBoundObjectResolver
{
    private int _lookups;

    public HashSet<BoundObjectKey> Hidden { get; } = [];

    public HashSet<string> Failing { get; } = [];

    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (Failing.Contains(key.Kind))
        {
            throw new InvalidOperationException("the store is down");
        }

        return Hidden.Contains(key) ? ValueTask.FromResult<BoundObject?>(null) : store.ResolveAsync(key, cancellationToken);
    }
}
