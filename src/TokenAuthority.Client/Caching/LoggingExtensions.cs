using Microsoft.Extensions.Logging;

namespace TokenAuthority.Client;

/// <summary>Source-generated log messages of the caller side (event ids 4xxx).</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(4001, LogLevel.Information, "Service-account token for {Namespace}/{Name} (audiences {Audiences}) obtained, expires {ExpiresAt}; next refresh at {RefreshAt}.")]
    public static partial void TokenObtained(this ILogger logger, string @namespace, string name, string audiences, DateTimeOffset? expiresAt, DateTimeOffset? refreshAt);

    [LoggerMessage(4002, LogLevel.Warning, "Refreshing the service-account token for {Namespace}/{Name} (audiences {Audiences}) failed; the cached token stays in use until {ExpiresAt}, retry in {RetryIn}.")]
    public static partial void RefreshFailedServingCached(this ILogger logger, Exception exception, string @namespace, string name, string audiences, DateTimeOffset? expiresAt, TimeSpan retryIn);

    [LoggerMessage(4003, LogLevel.Error, "Requesting a service-account token for {Namespace}/{Name} (audiences {Audiences}) failed and no valid token is cached.")]
    public static partial void RequestFailedNoToken(this ILogger logger, Exception exception, string @namespace, string name, string audiences);

    [LoggerMessage(4004, LogLevel.Information, "Service account {Namespace}/{Name} now has uid {Uid} (was {PreviousUid}); tokens of the old account are no longer served.")]
    public static partial void ServiceAccountUidChanged(this ILogger logger, string @namespace, string name, string uid, string previousUid);

    [LoggerMessage(4005, LogLevel.Information, "The callee rejected the service-account token for {Namespace}/{Name} as invalid; requesting a new one.")]
    public static partial void TokenRejectedByCallee(this ILogger logger, string @namespace, string name);

    [LoggerMessage(4006, LogLevel.Debug, "Service-account token file {Path} re-read.")]
    public static partial void TokenFileRead(this ILogger logger, string path);
}
