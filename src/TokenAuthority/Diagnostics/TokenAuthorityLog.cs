using Microsoft.Extensions.Logging;

namespace TokenAuthority.Diagnostics;

/// <summary>Source-generated log messages with stable event ids (1xxx core).</summary>
internal static partial class TokenAuthorityLog
{
    [LoggerMessage(1001, LogLevel.Warning, "No signing key is configured: generated an ephemeral {Algorithm} key {KeyId}. Tokens will not verify after a restart; set TokenAuthority:SigningKeyFile for anything but development.")]
    public static partial void GeneratedDevelopmentKey(this ILogger logger, string algorithm, string keyId);

    [LoggerMessage(1002, LogLevel.Information, "Token authority ready: issuer {Issuer}, signing key {KeyId} ({Algorithm}), {VerificationKeyCount} verification key(s).")]
    public static partial void KeysLoaded(this ILogger logger, string issuer, string keyId, string algorithm, int verificationKeyCount);

    [LoggerMessage(1003, LogLevel.Error, "Loading the token keys failed; the next use of the keys tries again.")]
    public static partial void KeysLoadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1010, LogLevel.Debug, "Issued token {CredentialId} for {Subject}, audiences {Audiences}, expires {Expires}.")]
    public static partial void TokenIssued(this ILogger logger, string credentialId, string subject, string audiences, DateTimeOffset expires);

    [LoggerMessage(1011, LogLevel.Debug, "TokenRequest for {Namespace}/{Name} refused: {Code} {Reason}: {Message}")]
    public static partial void TokenRequestRefused(this ILogger logger, string @namespace, string name, int code, string reason, string message);

    [LoggerMessage(1012, LogLevel.Warning, "Capped requested expiration of {Requested} s to {Maximum} s for {Namespace}/{Name}.")]
    public static partial void ExpirationCapped(this ILogger logger, long requested, long maximum, string @namespace, string name);

    [LoggerMessage(1019, LogLevel.Error, "Signing a token for {Namespace}/{Name} with key {KeyId} failed; the TokenRequest is answered with an internal error.")]
    public static partial void SigningFailed(this ILogger logger, Exception exception, string @namespace, string name, string keyId);

    [LoggerMessage(1020, LogLevel.Debug, "Token verification failed ({Failure}): {Error}")]
    public static partial void VerificationFailed(this ILogger logger, Verifying.TokenVerificationFailure failure, string error);

    [LoggerMessage(1021, LogLevel.Warning, "Looking up {Object} failed; the token is refused (fail closed).")]
    public static partial void ResolverFailed(this ILogger logger, Exception exception, string @object);

    [LoggerMessage(1022, LogLevel.Warning, "Looking up {Object} did not finish within {Timeout}; the token is refused (fail closed).")]
    public static partial void ResolverTimedOut(this ILogger logger, string @object, TimeSpan timeout);

    [LoggerMessage(1024, LogLevel.Warning, "Looking up {Object} returned an object without a uid; the answer is not used and the token is refused (fail closed).")]
    public static partial void ResolverReturnedEmptyUid(this ILogger logger, string @object);

    [LoggerMessage(1023, LogLevel.Information, "Stale token used: subject {Subject}, {Seconds} s after its warnafter time.")]
    public static partial void StaleTokenUsed(this ILogger logger, string subject, long seconds);
}
