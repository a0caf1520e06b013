using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.PostgreSql.Health;

/// <summary>Healthy when the database answers a query on the schema's tables; the description names the failure, never the connection string.</summary>
internal sealed class PostgreSqlDatabaseHealthCheck(PostgreSqlDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT 1 FROM {database.Keys} LIMIT 1;", connection) { CommandTimeout = 5 };
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"the PostgreSQL database does not answer ({ex.GetType().Name})");
        }
    }
}
