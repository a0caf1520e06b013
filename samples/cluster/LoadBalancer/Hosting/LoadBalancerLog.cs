namespace TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;

/// <summary>The balancer's own log lines (YARP logs each replica's health changes under <c>Yarp.ReverseProxy.Health</c>).</summary>
internal static partial class LoadBalancerLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Load balancer listening on {Address}, in front of {Backends}")]
    public static partial void Listening(this ILogger logger, string address, string backends);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "{Method} {Path} to {Replica} failed before any answer ({Error}: {Reason}); sent to {Next} instead")]
    public static partial void Retrying(this ILogger logger, string method, string path, string replica, string error, string reason, string next);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "{Method} {Path} to {Replica} failed before any answer ({Error}: {Reason}); not retried: {Why}")]
    public static partial void NotRetried(this ILogger logger, string method, string path, string replica, string error, string reason, string why);
}
