using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TokenAuthority.Keys.Ring;

/// <summary>Reading and writing key files: one message per failure naming the file and the remedy, never the content.</summary>
internal static class KeyRingKeyFiles
{
    /// <summary>Owner read and write only.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Reads one private key from a PEM file.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable, not a key, a public key, or a key the checks refuse.</exception>
    public static TokenKey ReadPrivateKey(string path, string what)
    {
        IReadOnlyList<TokenKey> keys;
        try
        {
            keys = TokenKey.ParsePem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException or CryptographicException)
        {
            throw new InvalidOperationException($"{what} \"{path}\" cannot be used: {ex.Message}. {Remedy}", ex);
        }

        foreach (var extra in keys.Skip(1))
        {
            extra.Dispose();
        }

        if (!keys[0].HasPrivateKey)
        {
            keys[0].Dispose();
            throw new InvalidOperationException($"{what} \"{path}\" holds a public key; a private key is needed to sign. {Remedy}");
        }

        return keys[0];
    }

    /// <summary>What to do about a key file that cannot be used.</summary>
    public const string Remedy = "Restore the file from a backup, or move the key directory aside to start a new ring (tokens signed by its keys will then stop verifying)";

    /// <summary>
    /// Writes a file so that a crash leaves either the old content or the new one: a temporary file (owner-only),
    /// flushed to disk, renamed over the target, then the directory flushed so the rename is durable too.
    /// </summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content, Action<string>? step = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content[..(content.Length / 2)]);
                step?.Invoke("temp-half-written");
                stream.Write(content[(content.Length / 2)..]);
                stream.Flush(flushToDisk: true);
            }

            step?.Invoke("temp-written");
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            File.Delete(temp);
            throw;
        }

        SyncDirectory(directory);
    }

    /// <summary>Thrown by tests at a step of a write to stand for the process dying there: nothing is cleaned up.</summary>
    internal sealed class SimulatedCrashException() : Exception("simulated crash");

    /// <summary>Flushes a directory's entries (a rename, a new or deleted file) to disk. Linux only; elsewhere a no-op.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open the directory \"{directory}\" to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush the directory \"{directory}\" to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // Linux paths are bytes, in practice UTF-8: the marshalling is given explicitly.
#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
