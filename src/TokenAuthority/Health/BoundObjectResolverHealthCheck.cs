using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;

namespace TokenAuthority.Health;

/// <summary>
/// Healthy when the bound-object resolver answers a lookup of <see cref="Sentinel"/> within
/// <see cref="TokenAuthorityOptions.ResolverTimeout"/>: found or not found, it answered. A throw or the timeout is
/// unhealthy: issuing and verifying would fail closed the same way. No token is involved, so nothing of one is reported.
/// </summary>
internal sealed class BoundObjectResolverHealthCheck(IServiceProvider services, IOptions<TokenAuthorityOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>The object looked up: a service account no one is expected to create.</summary>
    public static readonly BoundObjectKey Sentinel = new("ServiceAccount", "tokenauthority-health", "tokenauthority-health-probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService(typeof(IBoundObjectResolver)) is not IBoundObjectResolver resolver)
        {
            return HealthCheckResult.Healthy("no bound-object resolver is registered");
        }

        var timeout = options.Value.ResolverTimeout;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var pending = resolver.ResolveAsync(Sentinel, linked.Token);
            _ = pending.IsCompleted ? await pending.ConfigureAwait(false) : await pending.AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return TimedOut(timeout);
        }
#pragma warning disable CA1031 // A failing host resolver is what this check reports.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"the bound-object resolver failed ({ex.GetType().Name})", ex);
        }

        // An answer that came after the deadline (a resolver that blocked the thread) would have been discarded.
        return deadline.IsCancellationRequested ? TimedOut(timeout) : HealthCheckResult.Healthy("the bound-object resolver answers");
    }

    private static HealthCheckResult TimedOut(TimeSpan timeout) =>
        HealthCheckResult.Unhealthy($"the bound-object resolver did not answer within {timeout} (TokenAuthority:ResolverTimeout)");
}
