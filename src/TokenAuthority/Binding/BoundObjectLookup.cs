using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Diagnostics;

namespace TokenAuthority.Binding;

/// <summary>
/// Calls the host's resolver under the configured timeout and turns a throw, a timeout or an answer that cannot
/// be trusted (an empty uid) into a <see cref="BoundObjectLookupResult.Unavailable"/> answer, so both issuing and
/// verification fail closed.
/// </summary>
/// <remarks>
/// The resolver gets a token that fires at the timeout (linked to the caller's), so a lookup that is given up on
/// is also cancelled instead of running on. A resolver that ignores the token is still abandoned at the timeout;
/// one that blocks the calling thread cannot be abandoned, but its late answer is discarded.
/// The source behind the token is reused by a later lookup once this one has completed without firing it, so a
/// resolver must not keep the token beyond its call (as with HttpContext.RequestAborted after a request).
/// </remarks>
internal sealed class BoundObjectLookup(
    IBoundObjectResolver resolver,
    IOptions<TokenAuthorityOptions> options,
    TimeProvider timeProvider,
    ILogger<BoundObjectLookup> logger,
    TokenAuthorityMetrics metrics)
{
    // Sources whose timer was never fired, reset for the next lookup: a lookup that completes synchronously (an
    // in-memory store, a resolver cache's hit) costs no allocation and no new timer. Bounded: a burst beyond it allocates.
    private const int PoolSize = 32;

    private readonly TimeSpan _timeout = options.Value.ResolverTimeout;
    private readonly ConcurrentQueue<CancellationTokenSource> _pool = new();
    private int _pooled;

    public async ValueTask<BoundObjectLookupResult> LookupAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var result = await LookupCoreAsync(key, started, cancellationToken).ConfigureAwait(false);
        metrics.ResolverLookup(key.Kind, result, timeProvider.GetElapsedTime(started));
        return result;
    }

    private async ValueTask<BoundObjectLookupResult> LookupCoreAsync(BoundObjectKey key, long started, CancellationToken cancellationToken)
    {
        // The resolver's token fires at the timeout or when the caller's does (a registration, not a linked source).
        var deadline = Rent();
        deadline.CancelAfter(_timeout);
        var linked = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline)
            : default;
        BoundObject? found;
        try
        {
            var pending = resolver.ResolveAsync(key, deadline.Token);
            found = pending.IsCompleted ? await pending.ConfigureAwait(false) : await pending.AsTask().WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            linked.Dispose();
            Return(deadline);
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            linked.Dispose();
            Return(deadline);
            return TimedOut(key);
        }
#pragma warning disable CA1031 // A failing host resolver must never fail open or crash the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            linked.Dispose();
            Return(deadline);
            logger.ResolverFailed(ex, key.ToString());
            return BoundObjectLookupResult.Unavailable;
        }

        linked.Dispose();

        // An answer that arrives after the deadline (a resolver that blocked the thread) is not used.
        var late = (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested) || timeProvider.GetElapsedTime(started) >= _timeout;
        Return(deadline);
        if (late)
        {
            return TimedOut(key);
        }

        if (found is null)
        {
            return BoundObjectLookupResult.NotFound;
        }

        // An empty uid would match a token's empty claim and so disable recreate detection: not an answer to trust.
        if (string.IsNullOrEmpty(found.Uid))
        {
            logger.ResolverReturnedEmptyUid(key.ToString());
            return BoundObjectLookupResult.Unavailable;
        }

        return new BoundObjectLookupResult(found, false);
    }

    private CancellationTokenSource Rent()
    {
        if (_pool.TryDequeue(out var pooled))
        {
            Interlocked.Decrement(ref _pooled);
            return pooled;
        }

        // Created unarmed with the injected clock; CancelAfter arms it per lookup.
        return new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
    }

    // A source that fired (timeout or caller) cannot be reset and is dropped; TryReset also disarms the timer.
    private void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            if (Interlocked.Increment(ref _pooled) <= PoolSize)
            {
                _pool.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _pooled);
        }

        source.Dispose();
    }

    private BoundObjectLookupResult TimedOut(BoundObjectKey key)
    {
        logger.ResolverTimedOut(key.ToString(), _timeout);
        return BoundObjectLookupResult.Unavailable;
    }
}
