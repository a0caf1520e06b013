namespace TokenAuthority.Samples.BuildServer.Bootstrap;

/// <summary>Where the BuildServer keeps its state, and the name of every file in it.</summary>
/// <param name="Root">The absolute path of the data directory.</param>
internal sealed record DataDirectory(string Root)
{
    /// <summary>The configuration key that overrides the location (<c>--DataDirectory DIR</c>).</summary>
    public const string ConfigurationKey = "DataDirectory";

    /// <summary>The SQLite database: service accounts, jobs and artifacts.</summary>
    public string Database => Path.Combine(Root, "builds.db");

    /// <summary>
    /// The managed key directory: <c>ring.json</c> and one owner-only <c>&lt;kid&gt;.key</c> per key, rotated on schedule
    /// and kept across restarts so tokens survive them.
    /// </summary>
    public string Keys => Path.Combine(Root, "keys");

    /// <summary>
    /// The single signing key of earlier versions (PEM). No longer written: when present, the key ring imports it as
    /// its first active key, so tokens it signed keep verifying.
    /// </summary>
    public string SigningKey => Path.Combine(Root, "sa.key");

    /// <summary>The self-signed TLS certificate (PEM); clients trust it as their certificate authority.</summary>
    public string TlsCertificate => Path.Combine(Root, "tls.crt");

    /// <summary>The TLS private key (PEM, owner-only).</summary>
    public string TlsKey => Path.Combine(Root, "tls.key");

    /// <summary>The admin bearer token that creates and completes jobs (owner-only).</summary>
    public string AdminToken => Path.Combine(Root, "admin.token");

    /// <summary>
    /// Resolves the data directory from configuration: <c>DataDirectory</c> (relative paths are taken from the
    /// content root), or <c>.data</c> under the content root.
    /// </summary>
    public static DataDirectory Resolve(string? configured, string contentRoot) =>
        new(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? ".data" : configured, contentRoot));

    /// <summary>Creates the directory (owner-only on Unix) if it does not exist.</summary>
    public void EnsureExists()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Root);
        }
        else
        {
            Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
