using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.PostgreSql.Notifications;

namespace TokenAuthority.PostgreSql.Health;

/// <summary>
/// Healthy while the change listener listens. While it does not, this replica learns of other replicas' deletions
/// only when its cache's entries expire (the TTL), so it reports degraded, with the moment the connection was lost.
/// </summary>
internal sealed class PostgreSqlNotificationHealthCheck(PostgreSqlChangeListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsListening
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(listener.LostAt is { } lost
                ? $"not listening for changes since {lost:O}; other replicas' changes are seen after the cache TTL"
                : "not listening for changes yet"));
}
