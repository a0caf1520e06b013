using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenAuthority.Samples.Shared;

namespace TokenAuthority.Samples.Authority.Bootstrap;

/// <summary>
/// Prepares the data directory before the host starts: creates what is missing (TLS certificate
/// and key, admin and reviewer tokens) and reuses what is there, then writes the kubeconfig for the address being served.
/// Every generated file is written atomically; secrets are owner-only.
/// </summary>
internal static class AuthorityBootstrapper
{
    /// <summary>Regenerate the TLS certificate when it expires within this window.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>
    /// <see cref="Prepare"/> and <see cref="WriteKubeconfig"/> in one go, for callers that serve nothing (tests, tools).
    /// The Authority itself writes the kubeconfig only once it listens.
    /// </summary>
    public static BootstrapResult Run(DataDirectory directory, Uri server, TimeProvider time)
    {
        var prepared = Prepare(directory, time);
        return WriteKubeconfig(prepared, server)
            ? new BootstrapResult(directory, prepared.Certificate, prepared.AdminToken, prepared.ReviewerToken, [.. prepared.Created, directory.Kubeconfig])
            : prepared;
    }

    /// <summary>Creates what is missing and reuses what is there; writes nothing that names the port (see <see cref="WriteKubeconfig"/>).</summary>
    public static BootstrapResult Prepare(DataDirectory directory, TimeProvider time)
    {
        directory.EnsureExists();
        var created = new List<string>();

        EnsureSigningKey(directory, created);
        var certificate = EnsureTlsCertificate(directory, time.GetUtcNow(), created);
        var adminToken = EnsureToken(directory.AdminToken, "admin", created);
        var reviewerToken = EnsureToken(directory.ReviewerToken, "reviewer", created);
        if (string.Equals(adminToken, reviewerToken, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"\"{directory.ReviewerToken}\" holds the admin token, which would give the reviewer every right. Delete the file to have a new one generated.");
        }

        return new BootstrapResult(directory, certificate, adminToken, reviewerToken, created);
    }

    /// <summary>
    /// Writes the kubeconfig for <paramref name="server"/> unless it already says exactly that; returns whether it was
    /// written. The Authority calls it once the server listens, so a failed start never points kubectl at a port
    /// nobody serves.
    /// </summary>
    public static bool WriteKubeconfig(BootstrapResult bootstrap, Uri server)
    {
        var directory = bootstrap.Directory;
        var kubeconfig = Kubeconfig.Render(server, File.ReadAllText(directory.TlsCertificate), bootstrap.AdminToken);
        var written = false;
        if (!File.Exists(directory.Kubeconfig) || File.ReadAllText(directory.Kubeconfig) != kubeconfig)
        {
            AtomicFile.Replace(directory.Kubeconfig, kubeconfig, secret: true);
            written = true;
        }

        // It carries the admin token: an unchanged kubeconfig copied in or left world-readable is tightened too.
        AtomicFile.RestrictToOwner(directory.Kubeconfig);
        return written;
    }

    // The keys live in the managed key directory (keys/), which the core creates and rotates. An sa.key from an earlier
    // version is imported from there when the ring is made; until then, a copy left world-readable is tightened.
    private static void EnsureSigningKey(DataDirectory directory, List<string> created)
    {
        _ = created;
        if (File.Exists(directory.SigningKey))
        {
            AtomicFile.RestrictToOwner(directory.SigningKey);
        }
    }

    private static X509Certificate2 EnsureTlsCertificate(DataDirectory directory, DateTimeOffset now, List<string> created)
    {
        // tls.crt is written last, so it marks a complete pair: without it (or when it is about to expire) both are made anew.
        if (!File.Exists(directory.TlsCertificate) || ExpiresSoon(directory.TlsCertificate, now))
        {
            var (certificatePem, keyPem) = TlsCertificateFactory.Create(now, "Authority");
            AtomicFile.Replace(directory.TlsKey, keyPem, secret: true);
            AtomicFile.Replace(directory.TlsCertificate, certificatePem, secret: false);
            created.Add(directory.TlsCertificate);
            created.Add(directory.TlsKey);
        }

        AtomicFile.RestrictToOwner(directory.TlsKey);
        try
        {
            return TlsCertificateFactory.Load(directory.TlsCertificate, directory.TlsKey);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The TLS certificate \"{directory.TlsCertificate}\" and key \"{directory.TlsKey}\" cannot be loaded together ({ex.Message}). Delete both files to have new ones generated.", ex);
        }
    }

    private static bool ExpiresSoon(string certificatePath, DateTimeOffset now)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
            return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore;
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"The TLS certificate \"{certificatePath}\" cannot be read ({ex.Message.TrimEnd('.')}). Delete it and tls.key beside it to have new ones generated.", ex);
        }
    }

    /// <summary>Creates a random bearer token file (owner-only, written atomically) unless it exists; returns its content.</summary>
    private static string EnsureToken(string path, string description, List<string> created)
    {
        if (!File.Exists(path))
        {
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            if (AtomicFile.TryCreate(path, token + "\n", secret: true))
            {
                created.Add(path);
            }
        }

        AtomicFile.RestrictToOwner(path);
        var value = File.ReadAllText(path).Trim();
        if (value.Length < 32)
        {
            throw new InvalidOperationException($"The {description} token in \"{path}\" is shorter than 32 characters. Delete the file to have a new one generated.");
        }

        // Bearer tokens with dots are taken for service-account tokens (BearerSchemeSelector): this one would never match.
        if (value.Contains('.', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The {description} token in \"{path}\" contains a '.', which makes it look like a service-account token. Delete the file to have a new one generated.");
        }

        return value;
    }
}
