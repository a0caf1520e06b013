namespace TokenAuthority.PostgreSql;

/// <summary>
/// Where the shared state of several TokenAuthority replicas lives: a PostgreSQL database (its key ring, its objects
/// and the channel that tells every replica of a change). Every replica must use the same database and schema.
/// </summary>
public sealed class PostgreSqlOptions
{
    /// <summary>The Npgsql connection string (e.g. <c>Host=db;Database=authority;Username=authority;Password=…</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the tables (default <c>tokenauthority</c>): lower-case letters, digits and underscores.</summary>
    public string Schema { get; set; } = "tokenauthority";

    /// <summary>The first wait before the notification listener reconnects after its connection dropped (default 200 ms); it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two reconnection attempts of the notification listener (default 5 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);
}
