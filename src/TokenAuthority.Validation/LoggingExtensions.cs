using Microsoft.Extensions.Logging;

namespace TokenAuthority.Validation;

/// <summary>
/// Source-generated log messages of the authentication adapter (event ids 2xxx). The one line per refused request
/// (2010-2013) is written in the category <see cref="RequestCategory"/>, apart from the handlers' own categories, where
/// ASP.NET Core's base handler writes its per-request chatter ("was not authenticated", "was challenged") that a host
/// can then set to Warning without losing the refusals.
/// </summary>
internal static partial class LoggingExtensions
{
    /// <summary>The category of the one line per refused bearer token.</summary>
    public const string RequestCategory = "TokenAuthority.Authentication";

    [LoggerMessage(2001, LogLevel.Debug, "Bearer token verified for {Username}, audiences {Audiences}.")]
    public static partial void TokenValidated(this ILogger logger, string username, string audiences);

    // 2002-2005 and 2008 (refusals without the request) are retired: a refused request is one line, 2010-2013.

    [LoggerMessage(2006, LogLevel.Error, "Verifying the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}) threw; the token is refused (fail closed).")]
    public static partial void VerificationThrew(this ILogger logger, Exception exception, string scheme, string method, string path, string clientAddress);

    [LoggerMessage(2007, LogLevel.Debug, "Authenticated caller {Username} is forbidden by authorization policy.")]
    public static partial void Forbidden(this ILogger logger, string username);

    [LoggerMessage(2010, LogLevel.Information, "Refused the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}): {Error} ({ErrorType}).")]
    public static partial void TokenRefused(this ILogger logger, string scheme, string method, string path, string clientAddress, string error, string errorType);

    [LoggerMessage(2011, LogLevel.Information, "Refused the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}): {Error} ({ErrorType}, credential-id {CredentialId}).")]
    public static partial void CredentialRefused(this ILogger logger, string scheme, string method, string path, string clientAddress, string error, string errorType, string credentialId);

    [LoggerMessage(2012, LogLevel.Warning, "Refused the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}) because it could not be verified (fail closed): {Error}")]
    public static partial void VerificationUnavailable(this ILogger logger, string scheme, string method, string path, string clientAddress, string error);

    [LoggerMessage(2013, LogLevel.Information, "Refused the Authorization header of {Method} {Path} from {ClientAddress} (scheme {Scheme}): {Reason}.")]
    public static partial void MalformedHeader(this ILogger logger, string scheme, string method, string path, string clientAddress, string reason);

    [LoggerMessage(2020, LogLevel.Debug, "TokenReview answer served from the cache.")]
    public static partial void TokenReviewCacheHit(this ILogger logger);

    // 2021-2024 (the TokenReview call failed) are retired: the reason is part of the request's line, 2012.

    [LoggerMessage(2025, LogLevel.Debug, "Bearer token refused without asking the TokenReview authority: {Reason}.")]
    public static partial void TokenNotSentForReview(this ILogger logger, string reason);
}
