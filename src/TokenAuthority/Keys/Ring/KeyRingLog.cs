using Microsoft.Extensions.Logging;

namespace TokenAuthority.Keys.Ring;

/// <summary>The key ring's log messages (event ids 1100-1199). Key ids and times only: never key material.</summary>
internal static partial class KeyRingLog
{
    [LoggerMessage(1100, LogLevel.Information, "Key ring {Store}: key {KeyId} ({Algorithm}) is now {State}; published {Published:u}, activates {Activates:u}, retires {Retires}, removed after {RemoveAfter}.")]
    public static partial void KeyStateChanged(this ILogger logger, string store, string keyId, string algorithm, KeyRingKeyState state, DateTimeOffset published, DateTimeOffset activates, string retires, string removeAfter);

    [LoggerMessage(1101, LogLevel.Information, "Key ring {Store}: key {KeyId} ({Algorithm}) removed; every token it signed has expired.")]
    public static partial void KeyRemoved(this ILogger logger, string store, string keyId, string algorithm);

    [LoggerMessage(1102, LogLevel.Information, "Key ring {Store}: generated key {KeyId} ({Algorithm}), published now, signing from {Activates:u}.")]
    public static partial void KeyGenerated(this ILogger logger, string store, string keyId, string algorithm, DateTimeOffset activates);

    [LoggerMessage(1103, LogLevel.Warning, "Key ring {Store}: imported the existing key {KeyId} ({Algorithm}) from {File} as the signing key; tokens it signed keep verifying.")]
    public static partial void KeyImported(this ILogger logger, string store, string keyId, string algorithm, string file);

    [LoggerMessage(1104, LogLevel.Warning, "Key ring {Store}: rotation requested by an operator. {Outcome}")]
    public static partial void RotationRequested(this ILogger logger, string store, string outcome);

    [LoggerMessage(1105, LogLevel.Warning, "Key ring {Store}: revocation requested by an operator. {Outcome}")]
    public static partial void RevocationRequested(this ILogger logger, string store, string outcome);

    [LoggerMessage(1110, LogLevel.Error, "Key ring {Store} could not be refreshed; the last good ring stays in force and the next refresh tries again.")]
    public static partial void RefreshFailed(this ILogger logger, Exception exception, string store);

    [LoggerMessage(1111, LogLevel.Warning, "TokenAuthority:MaxExpirationSeconds is 0 (no cap): a retired key is kept for 2^32 seconds, since a token it signed may live that long. Set a cap (e.g. 86400) so retired keys can be deleted.")]
    public static partial void NoLifetimeCap(this ILogger logger);

    [LoggerMessage(1120, LogLevel.Information, "Key files reloaded: signing key {KeyId} ({Algorithm}), {VerificationKeyCount} verification key(s).")]
    public static partial void KeyFilesReloaded(this ILogger logger, string keyId, string algorithm, int verificationKeyCount);

    [LoggerMessage(1121, LogLevel.Error, "A key file changed but cannot be used; the last good keys stay in force until it is fixed.")]
    public static partial void KeyFilesReloadFailed(this ILogger logger, Exception exception);
}
