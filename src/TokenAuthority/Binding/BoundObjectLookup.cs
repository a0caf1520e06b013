using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Diagnostics;

namespace TokenAuthority.Binding;

/// <summary>
/// Calls the host's resolver with the configured timeout and turns a throw or a timeout into a
/// <see cref="BoundObjectLookupResult.Unavailable"/> answer, so both issuing and verification fail closed.
/// </summary>
internal sealed class BoundObjectLookup(
    IBoundObjectResolver resolver,
    IOptions<TokenAuthorityOptions> options,
    TimeProvider timeProvider,
    ILogger<BoundObjectLookup> logger)
{
    private readonly TimeSpan _timeout = options.Value.ResolverTimeout;

    public async ValueTask<BoundObjectLookupResult> LookupAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var pending = resolver.ResolveAsync(key, cancellationToken);
            var found = pending.IsCompletedSuccessfully
                ? pending.Result
                : await pending.AsTask().WaitAsync(_timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return found is null ? BoundObjectLookupResult.NotFound : new BoundObjectLookupResult(found, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            logger.ResolverTimedOut(key.ToString(), _timeout);
            return BoundObjectLookupResult.Unavailable;
        }
#pragma warning disable CA1031 // A failing host resolver must never fail open or crash the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.ResolverFailed(ex, key.ToString());
            return BoundObjectLookupResult.Unavailable;
        }
    }
}
