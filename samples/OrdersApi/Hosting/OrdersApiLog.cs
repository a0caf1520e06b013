namespace TokenAuthority.Samples.OrdersApi.Hosting;

/// <summary>Source-generated log messages of the OrdersApi sample (51xx).</summary>
internal static partial class OrdersApiLog
{
    [LoggerMessage(5101, LogLevel.Information, "Accepting tokens for audience {Audience} issued by {Issuer} (TLS trusted through {CaFile}); /orders verifies statelessly, /orders/bound through TokenReview (answers cached for {CacheDuration}).")]
    public static partial void Configured(this ILogger logger, string audience, string issuer, string caFile, TimeSpan cacheDuration);
}
