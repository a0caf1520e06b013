using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.Samples.BuildServer.Bootstrap;

/// <summary>What the bootstrap produced or found: the files, the serving certificate and the admin token.</summary>
internal sealed class BootstrapResult(DataDirectory directory, X509Certificate2 certificate, string adminToken, IReadOnlyList<string> created)
{
    /// <summary>The data directory.</summary>
    public DataDirectory Directory { get; } = directory;

    /// <summary>The serving certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The admin bearer token. Never logged.</summary>
    public string AdminToken { get; } = adminToken;

    /// <summary>The files created by this start (empty when everything was reused).</summary>
    public IReadOnlyList<string> Created { get; } = created;
}
