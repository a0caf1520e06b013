using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>
/// Validates the authority's TLS certificate against the CAs of a PEM file only (like a kubeconfig's
/// <c>certificate-authority</c>): the chain must end in one of them and the host name must match.
/// </summary>
internal sealed class CertificateAuthorityValidator(X509Certificate2Collection authorities)
{
    public static CertificateAuthorityValidator FromPemFile(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"The CA file {path} holds no certificate.");
        }

        return new CertificateAuthorityValidator(authorities);
    }

    public bool Validate(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        // Name mismatch or no certificate: never acceptable. Chain errors are re-judged against our CAs alone.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return chain.Build(leaf);
        }

        using var copy = new X509Certificate2(certificate);
        return chain.Build(copy);
    }

    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),

        // A redirect would re-post the reviewed token elsewhere (307/308 keep the body): never follow one.
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(certificate, chain, errors),
        },
    };
}
