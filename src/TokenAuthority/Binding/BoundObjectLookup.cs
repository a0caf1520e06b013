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
/// </remarks>
internal sealed class BoundObjectLookup(
    IBoundObjectResolver resolver,
    IOptions<TokenAuthorityOptions> options,
    TimeProvider timeProvider,
    ILogger<BoundObjectLookup> logger,
    TokenAuthorityMetrics metrics)
{
    private readonly TimeSpan _timeout = options.Value.ResolverTimeout;

    public async ValueTask<BoundObjectLookupResult> LookupAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var result = await LookupCoreAsync(key, cancellationToken).ConfigureAwait(false);
        metrics.ResolverLookup(key.Kind, result, timeProvider.GetElapsedTime(started));
        return result;
    }

    private async ValueTask<BoundObjectLookupResult> LookupCoreAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        BoundObject? found;
        try
        {
            var pending = resolver.ResolveAsync(key, linked.Token);
            found = pending.IsCompleted ? await pending.ConfigureAwait(false) : await pending.AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return TimedOut(key);
        }
#pragma warning disable CA1031 // A failing host resolver must never fail open or crash the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.ResolverFailed(ex, key.ToString());
            return BoundObjectLookupResult.Unavailable;
        }

        // An answer that arrives after the deadline (a resolver that blocked the thread) is not used.
        if (deadline.IsCancellationRequested)
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

    private BoundObjectLookupResult TimedOut(BoundObjectKey key)
    {
        logger.ResolverTimedOut(key.ToString(), _timeout);
        return BoundObjectLookupResult.Unavailable;
    }
}
