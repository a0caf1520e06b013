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
/// Keys read from PEM or generated here are disposed with the provider; <see cref="TokenAuthorityOptions.SigningKey"/>
/// belongs to the host and is not.
/// </remarks>
internal sealed class ConfiguredTokenKeySetProvider : ITokenKeySetProvider, IDisposable
{
    private readonly IOptions<TokenAuthorityOptions> _options;
    private readonly ILogger _logger;

    // Loading holds the lock, so concurrent first uses load (and generate a development key) once;
    // LazyThreadSafetyMode.PublicationOnly would run the load on each and drop the losers' keys undisposed.
    private readonly Lock _gate = new();
    private TokenKeySet? _current;
    private List<TokenKey> _owned = [];
    private bool _disposed;

    public ConfiguredTokenKeySetProvider(IOptions<TokenAuthorityOptions> options, ILogger<ConfiguredTokenKeySetProvider> logger)
    {
        _options = options;
        _logger = logger;
    }

    public TokenKeySet Current => Volatile.Read(ref _current) ?? Load();

    public void Dispose()
    {
        List<TokenKey> owned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Volatile.Write(ref _current, null);
            owned = _owned;
            _owned = [];
        }

        foreach (var key in owned)
        {
            key.Dispose();
        }
    }

    private TokenKeySet Load()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { } loaded)
            {
                return loaded;
            }

            var o = _options.Value;
            var owned = new List<TokenKey>();
            try
            {
                var signingKey = LoadSigningKey(o, owned);
                var verificationKeys = new List<TokenKey>();
                foreach (var file in o.VerificationKeyFiles)
                {
                    var keys = ReadPemFile(file, "TokenAuthority:VerificationKeyFiles");
                    owned.AddRange(keys);
                    verificationKeys.AddRange(keys);
                }

                var set = new TokenKeySet(signingKey, verificationKeys);
                _owned = owned;
                Volatile.Write(ref _current, set);
                _logger.KeysLoaded(o.Issuer ?? string.Empty, set.SigningKey.KeyId, set.SigningKey.Algorithm, set.VerificationKeys.Count);
                return set;
            }
            catch (Exception ex)
            {
                foreach (var key in owned)
                {
                    key.Dispose();
                }

                _logger.KeysLoadFailed(ex);
                throw;
            }
        }
    }

    private TokenKey LoadSigningKey(TokenAuthorityOptions o, List<TokenKey> owned)
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
            owned.AddRange(keys);
            return keys[0].HasPrivateKey
                ? keys[0]
                : throw new InvalidOperationException($"{setting} holds a public key; a private key is needed to sign.");
        }

        var generated = TokenKey.GenerateRsa();
        owned.Add(generated);
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
