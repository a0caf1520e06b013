namespace TokenAuthority.PostgreSql.Health;

/// <summary>The names of the PostgreSQL health checks added by <c>AddPostgreSql</c>.</summary>
public static class PostgreSqlHealthChecks
{
    /// <summary>The database answers a query.</summary>
    public const string DatabaseName = "tokenauthority-postgresql";

    /// <summary>The change notification channel is listened to.</summary>
    public const string NotificationsName = "tokenauthority-postgresql-notifications";
}
