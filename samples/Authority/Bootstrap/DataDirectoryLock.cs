using System.Globalization;

namespace TokenAuthority.Samples.Authority.Bootstrap;

/// <summary>
/// An exclusive lock on the data directory for the life of the process, so that a second Authority cannot share the
/// SQLite file and rewrite the kubeconfig to its own port. The lock is <c>authority.lock</c> held open with
/// <see cref="FileShare.None"/> (the operating system drops it when the process ends, crash included); the holder's
/// process id and URL are in <c>authority.holder</c> beside it, since a locked file cannot be read by another .NET process.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Takes the lock for the process serving <paramref name="server"/>, or throws <see cref="InvalidOperationException"/>
    /// with a message naming the holder when another process has it.
    /// </summary>
    public static DataDirectoryLock Acquire(DataDirectory directory, Uri server)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(directory.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"The data directory \"{directory.Root}\" is not writable (\"{directory.Lock}\" cannot be created). Make it writable by this user, or pass another --DataDirectory.");
        }
        catch (IOException) when (File.Exists(directory.Lock))
        {
            throw new InvalidOperationException(
                $"The data directory \"{directory.Root}\" is in use by another Authority ({DescribeHolder(directory)}). Stop that one, or pass another --DataDirectory.");
        }

        try
        {
            var holder = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} {server.GetLeftPart(UriPartial.Authority)}\n");
            File.WriteAllText(directory.LockHolder, holder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new InvalidOperationException(
                $"The data directory \"{directory.Root}\" is not writable (\"{directory.LockHolder}\" cannot be written: {ex.Message}). Make it writable by this user, or pass another --DataDirectory.");
        }

        return new DataDirectoryLock(stream);
    }

    public void Dispose() => _stream.Dispose();

    private static string DescribeHolder(DataDirectory directory)
    {
        try
        {
            var holder = File.ReadAllText(directory.LockHolder).Trim();
            return holder.Length == 0 ? "holder unknown" : holder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "holder unknown";
        }
    }
}
