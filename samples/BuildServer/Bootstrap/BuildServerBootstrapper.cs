using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenAuthority.Samples.Shared;

namespace TokenAuthority.Samples.BuildServer.Bootstrap;

/// <summary>
/// Prepares the data directory before the host starts, so that <c>dotnet run</c> needs no set-up: creates what is
/// missing (TLS certificate and key, admin token; the keys are the key ring's) and reuses what is there. Every generated file is
/// written atomically; secrets are owner-only.
/// </summary>
internal static class BuildServerBootstrapper
{
    /// <summary>Regenerate the TLS certificate when it expires within this window.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    public static BootstrapResult Run(DataDirectory directory, TimeProvider time)
    {
        directory.EnsureExists();
        var created = new List<string>();

        EnsureSigningKey(directory);
        var certificate = EnsureTlsCertificate(directory, time.GetUtcNow(), created);
        var adminToken = EnsureAdminToken(directory.AdminToken, created);
        return new BootstrapResult(directory, certificate, adminToken, created);
    }

    // The keys live in the managed key directory (keys/), which the core creates and rotates. An sa.key from an earlier
    // version is imported from there when the ring is made; until then, a copy left world-readable is tightened.
    private static void EnsureSigningKey(DataDirectory directory)
    {
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
            var (certificatePem, keyPem) = TlsCertificateFactory.Create(now, "BuildServer");
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
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore;
    }

    /// <summary>Creates a random admin token file (owner-only, written atomically) unless it exists; returns its content.</summary>
    private static string EnsureAdminToken(string path, List<string> created)
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
            throw new InvalidOperationException($"The admin token in \"{path}\" is shorter than 32 characters. Delete the file to have a new one generated.");
        }

        return value;
    }
}
