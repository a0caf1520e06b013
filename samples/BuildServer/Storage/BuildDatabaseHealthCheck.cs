using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TokenAuthority.Samples.BuildServer.Storage;

/// <summary>Reports unhealthy when the database does not answer.</summary>
internal sealed class BuildDatabaseHealthCheck(BuildDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException ex)
        {
            return HealthCheckResult.Unhealthy("the build database does not answer", ex);
        }
    }
}
