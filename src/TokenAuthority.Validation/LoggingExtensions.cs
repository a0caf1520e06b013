using Microsoft.Extensions.Logging;

namespace TokenAuthority.Validation;

/// <summary>Source-generated log messages of the authentication adapter (event ids 2xxx).</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(2001, LogLevel.Debug, "Bearer token verified for {Username}, audiences {Audiences}.")]
    public static partial void TokenValidated(this ILogger logger, string username, string audiences);

    [LoggerMessage(2002, LogLevel.Information, "Bearer token refused ({Failure}): {Error}")]
    public static partial void TokenRejected(this ILogger logger, string failure, string error);

    [LoggerMessage(2003, LogLevel.Debug, "Bearer token not recognised as a token of this authority.")]
    public static partial void TokenNotRecognized(this ILogger logger);

    [LoggerMessage(2004, LogLevel.Debug, "Authorization header refused: {Reason}.")]
    public static partial void MalformedHeader(this ILogger logger, string reason);

    [LoggerMessage(2005, LogLevel.Warning, "Bearer token refused because verification could not complete (fail closed): {Error}")]
    public static partial void VerificationUnavailable(this ILogger logger, string error);

    [LoggerMessage(2006, LogLevel.Error, "Verifying a bearer token threw; the token is refused (fail closed).")]
    public static partial void VerificationThrew(this ILogger logger, Exception exception);

    [LoggerMessage(2007, LogLevel.Debug, "Authenticated caller {Username} is forbidden by authorization policy.")]
    public static partial void Forbidden(this ILogger logger, string username);

    [LoggerMessage(2008, LogLevel.Information, "Bearer token refused by the TokenValidated event: {Reason}")]
    public static partial void RejectedByEvent(this ILogger logger, string reason);

    [LoggerMessage(2020, LogLevel.Debug, "TokenReview answer served from the cache.")]
    public static partial void TokenReviewCacheHit(this ILogger logger);

    [LoggerMessage(2021, LogLevel.Warning, "TokenReview at {Endpoint} answered {StatusCode}; the token is refused (fail closed).")]
    public static partial void TokenReviewRefused(this ILogger logger, string endpoint, int statusCode);

    [LoggerMessage(2022, LogLevel.Warning, "TokenReview at {Endpoint} did not answer within {Timeout}; the token is refused (fail closed).")]
    public static partial void TokenReviewTimedOut(this ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(2023, LogLevel.Warning, "TokenReview at {Endpoint} failed; the token is refused (fail closed).")]
    public static partial void TokenReviewFailed(this ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(2024, LogLevel.Warning, "TokenReview at {Endpoint} sent an answer that is not a valid TokenReview: {Reason}; the token is refused (fail closed).")]
    public static partial void TokenReviewInvalidResponse(this ILogger logger, string endpoint, string reason);

    [LoggerMessage(2025, LogLevel.Debug, "Bearer token refused without asking the TokenReview authority: {Reason}.")]
    public static partial void TokenNotSentForReview(this ILogger logger, string reason);
}
