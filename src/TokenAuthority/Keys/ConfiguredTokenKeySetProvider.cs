using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Diagnostics;

namespace TokenAuthority.Keys;

/// <summary>
/// Builds the key set from <see cref="TokenAuthorityOptions"/>: the signing key from an object, PEM text or a
/// PEM file (or, failing all three, an ephemeral development key), plus the verification key files.
/// </summary>
/// <remarks>
/// Loaded once it succeeds: a failure (a key file not there yet) is thrown to that caller and the next use tries
/// again, unlike a <see cref="Lazy{T}"/>, which would keep the exception for the process's life.
/// </remarks>
internal sealed class ConfiguredTokenKeySetProvider : ITokenKeySetProvider
{
    private readonly IOptions<TokenAuthorityOptions> _options;
    private readonly ILogger _logger;

    // Loading holds the lock, so concurrent first uses load (and generate a development key) once;
    // LazyThreadSafetyMode.PublicationOnly would run the load on each and drop the losers' keys.
    private readonly Lock _gate = new();
    private TokenKeySet? _current;

    public ConfiguredTokenKeySetProvider(IOptions<TokenAuthorityOptions> options, ILogger<ConfiguredTokenKeySetProvider> logger)
    {
        _options = options;
        _logger = logger;
    }

    public TokenKeySet Current => Volatile.Read(ref _current) ?? Load();

    private TokenKeySet Load()
    {
        lock (_gate)
        {
            if (_current is { } loaded)
            {
                return loaded;
            }

            var o = _options.Value;
            try
            {
                var signingKey = LoadSigningKey(o);
                var verificationKeys = new List<TokenKey>();
                foreach (var file in o.VerificationKeyFiles)
                {
                    verificationKeys.AddRange(ReadPemFile(file, "TokenAuthority:VerificationKeyFiles"));
                }

                var set = new TokenKeySet(signingKey, verificationKeys);
                Volatile.Write(ref _current, set);
                _logger.KeysLoaded(o.Issuer ?? string.Empty, set.SigningKey.KeyId, set.SigningKey.Algorithm, set.VerificationKeys.Count);
                return set;
            }
            catch (Exception ex)
            {
                _logger.KeysLoadFailed(ex);
                throw;
            }
        }
    }

    private TokenKey LoadSigningKey(TokenAuthorityOptions o)
    {
        if (o.SigningKey is not null)
        {
            return o.SigningKey;
        }

        var (keys, setting) = o.SigningKeyPem is { } pem ? (ParsePem(pem, "TokenAuthority:SigningKeyPem"), "TokenAuthority:SigningKeyPem")
            : o.SigningKeyFile is { } file ? (ReadPemFile(file, "TokenAuthority:SigningKeyFile"), $"TokenAuthority:SigningKeyFile \"{file}\"")
            : (null, null);
        if (keys is not null)
        {
            return keys[0].HasPrivateKey
                ? keys[0]
                : throw new InvalidOperationException($"{setting} holds a public key; a private key is needed to sign.");
        }

        var generated = TokenKey.GenerateRsa();
        _logger.GeneratedDevelopmentKey(generated.Algorithm, generated.KeyId);
        return generated;
    }

    // The messages name the setting and the file, never the content.
    private static IReadOnlyList<TokenKey> ReadPemFile(string path, string setting)
    {
        try
        {
            return TokenKey.ParsePem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"{setting} \"{path}\" cannot be used: {ex.Message}", ex);
        }
    }

    private static IReadOnlyList<TokenKey> ParsePem(string pem, string setting)
    {
        try
        {
            return TokenKey.ParsePem(pem);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting} is not a usable key: {ex.Message}", ex);
        }
    }
}
