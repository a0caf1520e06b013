using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TokenAuthority.Samples.Authority.Health;

/// <summary>Unhealthy once the host is stopping, so a load balancer stops sending requests (kube-apiserver's <c>shutdown</c> readiness check).</summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the Authority is shutting down")
            : HealthCheckResult.Healthy());
}
