using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>HTTP clients that trust exactly one PEM certificate (the Authority's <c>tls.crt</c>), with an optional bearer token.</summary>
internal static class TrustingHttpClient
{
    public static HttpClient Create(string certificateAuthorityFile, string? bearerToken = null)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certificateAuthorityFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return chain.Build(presented);
                },
            },
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }
}
