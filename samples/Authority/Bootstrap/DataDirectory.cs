namespace TokenAuthority.Samples.Authority.Bootstrap;

/// <summary>Where the Authority keeps its state, and the name of every file in it.</summary>
/// <param name="Root">The absolute path of the data directory.</param>
internal sealed record DataDirectory(string Root)
{
    /// <summary>The configuration key that overrides the location (<c>--DataDirectory DIR</c>).</summary>
    public const string ConfigurationKey = "DataDirectory";

    /// <summary>The SQLite database with the objects.</summary>
    public string Database => Path.Combine(Root, "objects.db");

    /// <summary>
    /// The single signing key of earlier versions (PEM, owner-only): imported into <see cref="Keys"/> as the active key
    /// when the ring is created, so tokens it signed keep verifying; not used afterwards.
    /// </summary>
    public string SigningKey => Path.Combine(Root, "sa.key");

    /// <summary>The managed key directory: the key ring (<c>ring.json</c>, one owner-only <c>&lt;kid&gt;.key</c> per key).</summary>
    public string Keys => Path.Combine(Root, "keys");

    /// <summary>The self-signed TLS certificate (PEM); clients trust it as their certificate authority.</summary>
    public string TlsCertificate => Path.Combine(Root, "tls.crt");

    /// <summary>The TLS private key (PEM, owner-only).</summary>
    public string TlsKey => Path.Combine(Root, "tls.key");

    /// <summary>The admin bearer token (owner-only).</summary>
    public string AdminToken => Path.Combine(Root, "admin.token");

    /// <summary>The token reviewer's bearer token (owner-only): TokenReview only, for services that verify tokens.</summary>
    public string ReviewerToken => Path.Combine(Root, "reviewer.token");

    /// <summary>A kubeconfig (JSON) for kubectl: server, certificate authority and the admin token (owner-only).</summary>
    public string Kubeconfig => Path.Combine(Root, "kubeconfig");

    /// <summary>Held open exclusively while an Authority uses the directory (<see cref="DataDirectoryLock"/>).</summary>
    public string Lock => Path.Combine(Root, "authority.lock");

    /// <summary>The process id and URL of the Authority holding <see cref="Lock"/>.</summary>
    public string LockHolder => Path.Combine(Root, "authority.holder");

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
