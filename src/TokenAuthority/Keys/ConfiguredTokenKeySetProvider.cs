using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Diagnostics;

namespace TokenAuthority.Keys;

/// <summary>
/// Builds the key set once from <see cref="TokenAuthorityOptions"/>: the signing key from an object, PEM
/// text or a PEM file (or, failing all three, an ephemeral development key), plus the verification key files.
/// </summary>
internal sealed class ConfiguredTokenKeySetProvider : ITokenKeySetProvider
{
    private readonly Lazy<TokenKeySet> _keySet;

    public ConfiguredTokenKeySetProvider(IOptions<TokenAuthorityOptions> options, ILogger<ConfiguredTokenKeySetProvider> logger)
    {
        _keySet = new Lazy<TokenKeySet>(() => Load(options.Value, logger));
    }

    public TokenKeySet Current => _keySet.Value;

    internal static TokenKey LoadSigningKey(TokenAuthorityOptions o, ILogger? logger)
    {
        if (o.SigningKey is not null)
        {
            return o.SigningKey;
        }

        var pem = o.SigningKeyPem ?? (o.SigningKeyFile is { } file ? File.ReadAllText(file) : null);
        if (pem is not null)
        {
            var keys = TokenKey.ParsePem(pem);
            return keys[0].HasPrivateKey ? keys[0] : throw new FormatException("the signing key PEM holds a public key; a private key is needed to sign");
        }

        var generated = TokenKey.GenerateRsa();
        logger?.GeneratedDevelopmentKey(generated.Algorithm, generated.KeyId);
        return generated;
    }

    internal static IEnumerable<TokenKey> LoadVerificationKeys(TokenAuthorityOptions o) =>
        o.VerificationKeyFiles.SelectMany(f => TokenKey.ParsePem(File.ReadAllText(f)));

    private static TokenKeySet Load(TokenAuthorityOptions o, ILogger logger)
    {
        var set = new TokenKeySet(LoadSigningKey(o, logger), LoadVerificationKeys(o));
        logger.KeysLoaded(o.Issuer ?? string.Empty, set.SigningKey.KeyId, set.SigningKey.Algorithm, set.VerificationKeys.Count);
        return set;
    }
}
