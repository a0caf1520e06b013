using System.Net;
using Microsoft.Extensions.Logging;

namespace TokenAuthority.Samples.Worker;

/// <summary>The worker's log messages (event ids 7xxx); the token source logs each refresh itself (4001).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(7001, LogLevel.Information, "Calling {OrdersUrl} every {Interval} as service account {Namespace}/{Name} with tokens for audience {Audience}.")]
    public static partial void Started(this ILogger logger, Uri ordersUrl, TimeSpan interval, string? @namespace, string? name, string audience);

    [LoggerMessage(7002, LogLevel.Information, "GET /orders -> {StatusCode}: {OrderCount} orders, OrdersApi saw caller {Caller}.")]
    public static partial void Called(this ILogger logger, int statusCode, int orderCount, string? caller);

    [LoggerMessage(7003, LogLevel.Warning, "GET /orders -> {StatusCode} {Reason}.")]
    public static partial void Refused(this ILogger logger, int statusCode, HttpStatusCode reason);

    [LoggerMessage(7004, LogLevel.Warning, "GET /orders failed: {Message}")]
    public static partial void Failed(this ILogger logger, string message, Exception exception);
}
