using TokenAuthority.Binding;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>Wraps the in-memory store; can be switched to throw or to hang, to test that verification fails closed.</summary>
public sealed class SwitchableResolver(InMemoryBoundObjectResolver inner) : IBoundObjectResolver
{
    public enum Behaviour
    {
        Normal,
        Throw,
        Hang,
    }

    public Behaviour Mode { get; set; }

    /// <summary>Completes when a lookup starts hanging.</summary>
    public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        switch (Mode)
        {
            case Behaviour.Throw:
                throw new InvalidOperationException("the object store is down");
            case Behaviour.Hang:
                Hanging.TrySetResult();
                return new ValueTask<BoundObject?>(new TaskCompletionSource<BoundObject?>(TaskCreationOptions.RunContinuationsAsynchronously).Task);
            default:
                return inner.ResolveAsync(key, cancellationToken);
        }
    }
}
