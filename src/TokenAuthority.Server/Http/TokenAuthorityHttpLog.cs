using Microsoft.Extensions.Logging;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>Source-generated log messages of the HTTP API, with stable event ids (3xxx).</summary>
internal static partial class TokenAuthorityHttpLog
{
    [LoggerMessage(3001, LogLevel.Debug, "{Endpoint} request refused before processing: {Code} {Reason}: {Message}")]
    public static partial void RequestRejected(this ILogger logger, string endpoint, int code, string reason, string message);

    [LoggerMessage(3002, LogLevel.Error, "{Endpoint} request failed unexpectedly; answered 500.")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(3003, LogLevel.Debug, "{Endpoint} request for user {User} denied: {Code}.")]
    public static partial void RequestDenied(this ILogger logger, string endpoint, string user, int code);

    [LoggerMessage(3009, LogLevel.Information, "{Endpoint} request {Method} {Path} from {ClientAddress} forbidden: {Message}")]
    public static partial void RequestForbidden(this ILogger logger, string endpoint, string method, string path, string clientAddress, string message);

    // 3003 stays Debug for a challenge (401): the scheme that refused the token has written the request's line.

    // 3004 (AddTokenAuthorityEndpoints() missing) is retired: MapTokenAuthority() now throws instead.

    [LoggerMessage(3005, LogLevel.Debug, "TokenReview for {Username}: {Authenticated}.")]
    public static partial void TokenReviewed(this ILogger logger, string username, bool authenticated);

    [LoggerMessage(3006, LogLevel.Error, "{Endpoint} request refused: the endpoint does not allow anonymous callers, yet no authorization policy authorized the request. Check that app.UseAuthorization() runs between routing and the endpoints and that services.AddTokenAuthorityEndpoints() comes after any other IAuthorizationMiddlewareResultHandler registration.")]
    public static partial void RequestNotAuthorized(this ILogger logger, string endpoint);

    [LoggerMessage(3007, LogLevel.Warning, "{Endpoint} allows anonymous callers (AllowAnonymous): anyone who can reach it may use it.")]
    public static partial void EndpointAllowsAnonymous(this ILogger logger, string endpoint);

    [LoggerMessage(3008, LogLevel.Information, "{Endpoint} has no authorization of its own: the fallback policy (AuthorizationOptions.FallbackPolicy) authorizes its callers.")]
    public static partial void EndpointUsesFallbackPolicy(this ILogger logger, string endpoint);

    [LoggerMessage(3010, LogLevel.Debug, "TokenRequest from {Caller} refused: over its rate limit (TokenAuthorityEndpointOptions.TokenRequestRateLimit); retry after {RetryAfterSeconds} s.")]
    public static partial void TokenRequestRateLimited(this ILogger logger, string caller, int retryAfterSeconds);
}
