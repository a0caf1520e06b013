using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TokenAuthority.Keys.Ring;

/// <summary>
/// A key ring in a directory: each key as <c>&lt;kid&gt;.key</c> (PKCS#8 PEM, owner-only), the records in
/// <c>ring.json</c>, both written atomically (temporary file, flush, rename, flush the directory), and
/// <c>ring.lock</c>, held with an exclusive OS lock while the ring changes, which the OS releases if the holder dies.
/// Several instances, on one host or on a shared file system with working locks, may share it.
/// </summary>
internal sealed class DirectoryKeyRingStore : IKeyRingStore
{
    /// <summary>The records' file name.</summary>
    public const string RingFileName = "ring.json";

    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "ring.lock";

    private const int FormatVersion = 1;

    private readonly string _directory;
    private readonly TimeSpan _lockTimeout;

    public DirectoryKeyRingStore(string directory, TimeSpan lockTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _lockTimeout = lockTimeout;
    }

    public string Description => $"\"{_directory}\"";

    /// <summary>Called at each step of <see cref="SaveAsync"/> (tests throw there to simulate a process killed mid-write).</summary>
    internal Action<string>? Step { get; set; }

    /// <summary>The path of a key's file.</summary>
    public string KeyPath(string keyId) => Path.Combine(_directory, keyId + ".key");

    public Task<IReadOnlyList<KeyRingRecord>?> LoadRecordsAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, RingFileName);
        if (File.Exists(_directory))
        {
            throw new InvalidOperationException($"The key directory \"{_directory}\" is a file, not a directory. Set TokenAuthority:Keys:Directory to a directory (it is created when missing).");
        }

        byte[] bytes;
        try
        {
            if (!Directory.Exists(_directory))
            {
                return Task.FromResult<IReadOnlyList<KeyRingRecord>?>(null);
            }

            _ = Directory.EnumerateFileSystemEntries(_directory).Any();
            if (!File.Exists(path))
            {
                return Task.FromResult<IReadOnlyList<KeyRingRecord>?>(null);
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The key directory \"{_directory}\" cannot be read: {ex.Message}. Give this process read and write access to it (it holds private keys: owner-only).", ex);
        }

        try
        {
            return Task.FromResult<IReadOnlyList<KeyRingRecord>?>(Parse(bytes));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidOperationException($"The key ring \"{path}\" cannot be read: {ex.Message}. {KeyRingKeyFiles.Remedy}.", ex);
        }
    }

    public Task<TokenKey> LoadKeyAsync(KeyRingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = KeyPath(record.KeyId);
        var key = KeyRingKeyFiles.ReadPrivateKey(path, "The ring's key file");
        if (!string.Equals(key.KeyId, record.KeyId, StringComparison.Ordinal))
        {
            key.Dispose();
            throw new InvalidOperationException($"The ring's key file \"{path}\" holds key {key.KeyId}, not {record.KeyId}. {KeyRingKeyFiles.Remedy}.");
        }

        return Task.FromResult(key);
    }

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var path = Path.Combine(_directory, LockFileName);
        var started = Environment.TickCount64;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = KeyRingKeyFiles.OwnerOnly;
                }

                return new Held(new FileStream(path, options));
            }
            catch (IOException) when (Environment.TickCount64 - started < _lockTimeout.TotalMilliseconds)
            {
                // Held by another instance (or another ring in this process): a rotation takes milliseconds.
                // Real time, not the injected clock: this waits for a file lock, not for a token's expiry.
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"The key ring lock \"{path}\" was held by another process for more than {_lockTimeout}; if no other instance is rotating, check that the file system supports locks.", ex);
            }
        }
    }

    public Task SaveAsync(IReadOnlyList<KeyRingRecord> records, IReadOnlyList<TokenKey> newKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(newKeys);
        EnsureDirectory();

        // Keys first: the ring never names a key that is not durable on disk.
        foreach (var key in newKeys)
        {
            var pem = Encoding.ASCII.GetBytes(key.ExportPrivateKeyPem());
            try
            {
                KeyRingKeyFiles.WriteAtomic(KeyPath(key.KeyId), pem, Step);
                Step?.Invoke("key-written");
            }
            finally
            {
                Array.Clear(pem);
            }
        }

        KeyRingKeyFiles.WriteAtomic(Path.Combine(_directory, RingFileName), Serialize(records), Step);
        Step?.Invoke("ring-written");

        // Then the keys the ring no longer names (removed ones, and any a crash left before its ring was written), and
        // temporary files a crash left behind: this runs under the lock, so no other writer has files in flight.
        var named = records.Select(r => r.KeyId + ".key").ToHashSet(StringComparer.Ordinal);
        var deleted = false;
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(file);
            if ((name.EndsWith(".key", StringComparison.Ordinal) && !named.Contains(name)) || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                Step?.Invoke("deleting");
                File.Delete(file);
                deleted = true;
            }
        }

        if (deleted)
        {
            KeyRingKeyFiles.SyncDirectory(_directory);
        }

        return Task.CompletedTask;
    }

    private void EnsureDirectory()
    {
        if (File.Exists(_directory))
        {
            throw new InvalidOperationException($"The key directory \"{_directory}\" is a file, not a directory. Set TokenAuthority:Keys:Directory to a directory (it is created when missing).");
        }

        if (!Directory.Exists(_directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_directory);
            }
            else
            {
                Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    internal static byte[] Serialize(IReadOnlyList<KeyRingRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", FormatVersion);
            w.WriteStartArray("keys");
            foreach (var r in records)
            {
                w.WriteStartObject();
                w.WriteString("kid", r.KeyId);
                w.WriteString("alg", r.Algorithm);
                w.WriteString("published", r.Published.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteString("activates", r.Activates.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteNumber("maxTokenLifetimeSeconds", r.MaxTokenLifetimeSeconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static List<KeyRingRecord> Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var version = root.GetProperty("version").GetInt32();
        if (version != FormatVersion)
        {
            throw new FormatException($"format version {version} is not supported (this version reads {FormatVersion})");
        }

        var records = new List<KeyRingRecord>();
        foreach (var k in root.GetProperty("keys").EnumerateArray())
        {
            var kid = k.GetProperty("kid").GetString() ?? throw new FormatException("a key has no kid");
            if (kid.Length == 0 || kid.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                throw new FormatException($"\"{kid}\" is not a key id");
            }

            records.Add(new KeyRingRecord(
                kid,
                k.GetProperty("alg").GetString() ?? throw new FormatException($"key {kid} has no alg"),
                DateTimeOffset.Parse(k.GetProperty("published").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                DateTimeOffset.Parse(k.GetProperty("activates").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                k.GetProperty("maxTokenLifetimeSeconds").GetInt64()));
        }

        return records.Count == 0 ? throw new FormatException("the ring holds no key") : records;
    }

    private sealed class Held(FileStream lockFile) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => lockFile.DisposeAsync();
    }
}
