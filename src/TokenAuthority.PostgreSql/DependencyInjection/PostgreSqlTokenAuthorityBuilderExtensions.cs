using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Health;
using TokenAuthority.Keys.Ring;
using TokenAuthority.PostgreSql;
using TokenAuthority.PostgreSql.Binding;
using TokenAuthority.PostgreSql.DependencyInjection;
using TokenAuthority.PostgreSql.Health;
using TokenAuthority.PostgreSql.Keys;
using TokenAuthority.PostgreSql.Notifications;
using TokenAuthority.PostgreSql.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the key ring and the bound objects of several replicas in one PostgreSQL database.</summary>
public static class PostgreSqlTokenAuthorityBuilderExtensions
{
    /// <summary>Uses the PostgreSQL database at <paramref name="connectionString"/>; see <see cref="AddPostgreSql(TokenAuthorityBuilder, Action{PostgreSqlOptions})"/>.</summary>
    public static TokenAuthorityBuilder AddPostgreSql(this TokenAuthorityBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddPostgreSql(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps the key ring (private keys encrypted with ASP.NET Core Data Protection: configure its key storage outside
    /// this database, shared by every replica), the bound objects (<see cref="PostgreSqlObjectStore"/>, which also
    /// resolves them) and cross-replica cache invalidation (a hosted service listening on the schema's channel) in
    /// PostgreSQL. The schema is created at first use. Adds the health checks
    /// <see cref="PostgreSqlHealthChecks.DatabaseName"/> and <see cref="PostgreSqlHealthChecks.NotificationsName"/>.
    /// </summary>
    public static TokenAuthorityBuilder AddPostgreSql(this TokenAuthorityBuilder builder, Action<PostgreSqlOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOptions>, PostgreSqlOptionsValidator>());
        services.AddDataProtection();
        services.TryAddSingleton<PostgreSqlDatabase>();
        services.TryAddSingleton(sp => new PostgreSqlObjectStore(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            sp.GetRequiredService<IOptions<TokenAuthority.TokenAuthorityOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<TokenAuthority.Binding.IBoundObjectCacheInvalidator>()));
        services.TryAddSingleton<PostgreSqlChangeListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlChangeListener>(sp => sp.GetRequiredService<PostgreSqlChangeListener>()));
        builder.AddBoundObjectResolver<PostgreSqlBoundObjectResolver>();
        builder.AddKeyRingStore<PostgreSqlKeyRingStore>();
        services.AddHealthChecks();
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (o.Registrations.Any(r => r.Name == PostgreSqlHealthChecks.DatabaseName))
            {
                return;
            }

            string[] tags = [TokenAuthorityHealthChecks.Tag, TokenAuthorityHealthChecks.ReadyTag];
            o.Registrations.Add(new HealthCheckRegistration(PostgreSqlHealthChecks.DatabaseName,
                sp => ActivatorUtilities.CreateInstance<PostgreSqlDatabaseHealthCheck>(sp), HealthStatus.Unhealthy, tags));
            o.Registrations.Add(new HealthCheckRegistration(PostgreSqlHealthChecks.NotificationsName,
                sp => ActivatorUtilities.CreateInstance<PostgreSqlNotificationHealthCheck>(sp), HealthStatus.Degraded, tags));
        });
        return builder;
    }
}
