using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// Answers from a store, except for chosen kinds, for which it throws, never answers, blocks the calling thread,
/// or answers without a uid.
/// </summary>
public sealed class FaultyResolver(InMemoryBoundObjectResolver store) : IBoundObjectResolver
{
    public HashSet<string> Throwing { get; } = [];

    public HashSet<string> FaultedAsync { get; } = [];

    /// <summary>Kinds whose lookup never answers and ignores its token.</summary>
    public HashSet<string> Hanging { get; } = [];

    /// <summary>Kinds whose lookup never answers on its own, but ends (cancelled) when its token fires.</summary>
    public HashSet<string> WaitingForCancellation { get; } = [];

    /// <summary>Kinds whose lookup blocks the calling thread for <see cref="BlockFor"/> (on <see cref="Clock"/>), then answers.</summary>
    public HashSet<string> Blocking { get; } = [];

    /// <summary>Kinds answered with an empty uid.</summary>
    public HashSet<string> EmptyUid { get; } = [];

    public TimeSpan BlockFor { get; set; }

    public FakeTimeProvider? Clock { get; set; }

    /// <summary>The tokens the lookups were given, in call order.</summary>
    public List<CancellationToken> Tokens { get; } = [];

    /// <summary>Whether each blocking lookup found its token cancelled when it returned.</summary>
    public List<bool> BlockedLookupsCancelled { get; } = [];

    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        Tokens.Add(cancellationToken);
        if (Throwing.Contains(key.Kind))
        {
            throw new InvalidOperationException("the store is down");
        }

        if (FaultedAsync.Contains(key.Kind))
        {
            return ValueTask.FromException<BoundObject?>(new TimeoutException("the store timed out"));
        }

        if (Hanging.Contains(key.Kind))
        {
            return new ValueTask<BoundObject?>(new TaskCompletionSource<BoundObject?>().Task);
        }

        if (WaitingForCancellation.Contains(key.Kind))
        {
            return WaitForCancellationAsync(cancellationToken);
        }

        if (Blocking.Contains(key.Kind))
        {
            // As Microsoft.Data.Sqlite's "async" methods do: the time passes on the caller's thread.
            Clock!.Advance(BlockFor);
            BlockedLookupsCancelled.Add(cancellationToken.IsCancellationRequested);
        }

        var found = store.ResolveAsync(key, cancellationToken).AsTask().GetAwaiter().GetResult();
        return ValueTask.FromResult(found is not null && EmptyUid.Contains(key.Kind) ? found with { Uid = string.Empty } : found);
    }

    private static async ValueTask<BoundObject?> WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }
}
