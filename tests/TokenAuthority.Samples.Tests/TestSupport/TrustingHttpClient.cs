using System.Net.Http.Headers;
using TokenAuthority.Server;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>HTTP clients that trust exactly one PEM certificate (the Authority's <c>tls.crt</c>), with an optional bearer token.</summary>
internal static class TrustingHttpClient
{
    public static HttpClient Create(string certificateAuthorityFile, string? bearerToken = null)
    {
        var handler = PinnedCertificateAuthority.FromPemFile(certificateAuthorityFile).CreateHandler();
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }
}
