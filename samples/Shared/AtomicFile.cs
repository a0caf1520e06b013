using System.Text;

namespace TokenAuthority.Samples.Shared;

/// <summary>
/// Writes generated files so that a crash never leaves a half-written one behind: the content goes to a
/// temporary file in the same directory (created owner-only from the start when it is secret), is flushed
/// to disk, and is then renamed over the target in one step.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode PublicRead = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="path"/> only if it does not exist; returns whether this call created it.</summary>
    public static bool TryCreate(string path, string content, bool secret) => Write(path, content, secret, overwrite: false);

    /// <summary>Writes <paramref name="path"/>, replacing any previous content in one step.</summary>
    public static void Replace(string path, string content, bool secret) => Write(path, content, secret, overwrite: true);

    private static bool Write(string path, string content, bool secret, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? OwnerOnly : PublicRead;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                // Another process created it first: keep theirs.
                return false;
            }

            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Tightens an existing secret file to owner-only access (a no-op on Windows).</summary>
    public static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
