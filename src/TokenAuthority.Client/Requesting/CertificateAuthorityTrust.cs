using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.Client;

/// <summary>Trusts exactly one CA (custom root trust) for the authority's TLS certificate, host name checked as usual.</summary>
internal static class CertificateAuthorityTrust
{
    public static HttpMessageHandler CreateHandler(string? caPem)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (caPem is null)
        {
            return handler;
        }
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(caPem);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            },
        };
        return handler;
    }
}
