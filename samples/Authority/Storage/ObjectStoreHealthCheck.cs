using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>Reports unhealthy when the database does not answer.</summary>
internal sealed class ObjectStoreHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (System.Data.Common.DbException ex)
        {
            return HealthCheckResult.Unhealthy("the object database does not answer", ex);
        }
    }
}
