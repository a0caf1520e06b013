using TokenAuthority.Binding;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>Answers from a store, except for chosen kinds, for which it throws or never answers.</summary>
public sealed class FaultyResolver(InMemoryBoundObjectResolver store) : IBoundObjectResolver
{
    public HashSet<string> Throwing { get; } = [];

    public HashSet<string> FaultedAsync { get; } = [];

    public HashSet<string> Hanging { get; } = [];

    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        if (Throwing.Contains(key.Kind))
        {
            throw new InvalidOperationException("the store is down");
        }

        if (FaultedAsync.Contains(key.Kind))
        {
            return ValueTask.FromException<BoundObject?>(new TimeoutException("the store timed out"));
        }

        return Hanging.Contains(key.Kind)
            ? new ValueTask<BoundObject?>(new TaskCompletionSource<BoundObject?>().Task)
            : store.ResolveAsync(key, cancellationToken);
    }
}
