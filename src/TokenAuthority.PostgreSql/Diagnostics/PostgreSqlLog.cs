using Microsoft.Extensions.Logging;

namespace TokenAuthority.PostgreSql.Diagnostics;

/// <summary>The package's log messages (event ids 7001–7099); none carries a token or key material.</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(7001, LogLevel.Information, "PostgreSQL schema {Schema} upgraded from version {From} to {To}.")]
    public static partial void SchemaCreated(this ILogger logger, string schema, int from, int to);

    [LoggerMessage(7002, LogLevel.Information, "Listening for changes on PostgreSQL channel {Channel}; every cached object was dropped (changes made while not listening were not seen).")]
    public static partial void Listening(this ILogger logger, string channel);

    [LoggerMessage(7003, LogLevel.Warning, "The PostgreSQL notification connection (channel {Channel}) was lost; every cached object was dropped and the listener reconnects in {Delay}.")]
    public static partial void ListenerLost(this ILogger logger, Exception exception, string channel, TimeSpan delay);

    [LoggerMessage(7004, LogLevel.Warning, "A notification on PostgreSQL channel {Channel} was not understood and is ignored; every cached object was dropped instead.")]
    public static partial void NotificationNotUnderstood(this ILogger logger, string channel);

    [LoggerMessage(7005, LogLevel.Debug, "The key ring changed on another replica; it is re-read now.")]
    public static partial void RingChanged(this ILogger logger);

    [LoggerMessage(7006, LogLevel.Warning, "ASP.NET Core Data Protection keeps its keys in its default place, on this machine only: replicas on other machines cannot decrypt the PostgreSQL key ring. Call AddDataProtection().PersistKeysTo…(…) with storage every replica shares, outside the database.")]
    public static partial void DataProtectionKeysNotConfigured(this ILogger logger);
}
