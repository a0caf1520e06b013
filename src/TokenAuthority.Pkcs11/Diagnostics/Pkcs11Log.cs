using Microsoft.Extensions.Logging;

namespace TokenAuthority.Pkcs11.Diagnostics;

/// <summary>The PKCS#11 key source's log messages (event ids 6001–6099). None carries a PIN or key material.</summary>
internal static partial class Pkcs11Log
{
    [LoggerMessage(6001, LogLevel.Information, "PKCS#11 keys loaded from token {Token} ({Module}): signing key {Label} ({Algorithm}, {KeyId}), {VerificationKeyCount} further verification key(s).")]
    public static partial void KeysLoaded(this ILogger logger, string token, string module, string label, string algorithm, string keyId, int verificationKeyCount);

    [LoggerMessage(6002, LogLevel.Warning, "The private key {Label} on token {Token} can leave the HSM ({Attribute}); generate signing keys with CKA_EXTRACTABLE=false and CKA_SENSITIVE=true.")]
    public static partial void PrivateKeyExportable(this ILogger logger, string label, string token, string attribute);

    [LoggerMessage(6003, LogLevel.Warning, "A PKCS#11 signing session failed ({ReturnValue}); it is closed and the next signature opens a new one.")]
    public static partial void SessionDropped(this ILogger logger, string returnValue);
}
