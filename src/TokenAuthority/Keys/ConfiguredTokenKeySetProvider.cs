using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TokenAuthority.Diagnostics;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Keys;

/// <summary>
/// Builds the key set from <see cref="TokenAuthorityOptions"/>: the signing key from an object, PEM text or a
/// PEM file (or, failing all three, an ephemeral development key), plus the verification key files.
/// </summary>
/// <remarks>
/// Loaded once it succeeds: a failure (a key file not there yet) is thrown to that caller and the next use tries
/// again, unlike a <see cref="Lazy{T}"/>, which would keep the exception for the process's life.
/// Keys read from PEM or generated here are disposed with the provider; <see cref="TokenAuthorityOptions.SigningKey"/>
/// belongs to the host and is not. Key files are watched, the Kubernetes way: an edit on disk (a secret volume's
/// symlink swap included) is loaded without a restart and fires the change token; an edit that cannot be used keeps
/// the last good keys and is logged.
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
    private readonly List<TokenKey> _replaced = [];
    private readonly List<FileSystemWatcher> _watchers = [];
    private CancellationTokenSource _changed = new();
    private bool _disposed;

    public ConfiguredTokenKeySetProvider(IOptions<TokenAuthorityOptions> options, ILogger<ConfiguredTokenKeySetProvider> logger)
    {
        _options = options;
        _logger = logger;
    }

    public TokenKeySet Current => Volatile.Read(ref _current) ?? Load();

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

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
            owned = [.. _owned, .. _replaced];
            _owned = [];
            _replaced.Clear();
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
            _changed.Dispose();
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
            try
            {
                var (set, owned) = Build(o);
                _owned = owned;
                Volatile.Write(ref _current, set);
                _logger.KeysLoaded(o.Issuer ?? string.Empty, set.SigningKey.KeyId, set.SigningKey.Algorithm, set.VerificationKeys.Count);
                Watch(o);
                return set;
            }
            catch (Exception ex)
            {
                _logger.KeysLoadFailed(ex);
                throw;
            }
        }
    }

    private (TokenKeySet Set, List<TokenKey> Owned) Build(TokenAuthorityOptions o)
    {
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

            for (var i = 0; i < o.VerificationKeyPems.Count; i++)
            {
                var keys = ParsePem(o.VerificationKeyPems[i], $"TokenAuthority:VerificationKeyPems:{i}");
                owned.AddRange(keys);
                verificationKeys.AddRange(keys);
            }

            // The host's objects: used, never disposed (not in owned).
            foreach (var key in o.VerificationKeys)
            {
                verificationKeys.Add(key ?? throw new InvalidOperationException("TokenAuthority:VerificationKeys holds a null key."));
            }

            return (new TokenKeySet(signingKey, verificationKeys), owned);
        }
        catch
        {
            foreach (var key in owned)
            {
                key.Dispose();
            }

            throw;
        }
    }

    // One watcher per directory holding a key file; any change there reloads (a secret volume swaps a symlink, not the file).
    private void Watch(TokenAuthorityOptions o)
    {
        var files = o.VerificationKeyFiles.Prepend(o.SigningKey is null && o.SigningKeyPem is null ? o.SigningKeyFile : null).OfType<string>();
        foreach (var directory in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => Reload();
            watcher.Created += (_, _) => Reload();
            watcher.Renamed += (_, _) => Reload();
            watcher.Deleted += (_, _) => Reload();
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Loads the files again; publishes and signals a new set when the keys differ, keeps the last good one when they cannot be used.</summary>
    private void Reload()
    {
        lock (_gate)
        {
            if (_disposed || Volatile.Read(ref _current) is not { } current)
            {
                return;
            }

            TokenKeySet set;
            List<TokenKey> owned;
            try
            {
                (set, owned) = Build(_options.Value);
            }
            catch (InvalidOperationException ex)
            {
                _logger.KeyFilesReloadFailed(ex);
                return;
            }

            if (set.SigningKey.KeyId == current.SigningKey.KeyId
                && set.VerificationKeys.Select(k => k.KeyId).SequenceEqual(current.VerificationKeys.Select(k => k.KeyId), StringComparer.Ordinal))
            {
                foreach (var key in owned)
                {
                    key.Dispose();
                }

                return;
            }

            // The replaced keys may be in use by an operation that read the old set: disposed with the provider.
            _replaced.AddRange(_owned);
            _owned = owned;
            Volatile.Write(ref _current, set);
            _logger.KeyFilesReloaded(set.SigningKey.KeyId, set.SigningKey.Algorithm, set.VerificationKeys.Count);
            var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            old.Cancel();
            old.Dispose();
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
