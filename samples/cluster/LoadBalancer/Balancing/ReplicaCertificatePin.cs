using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.Samples.Cluster.LoadBalancer.Balancing;

/// <summary>
/// The replicas serve one self-signed certificate; on the way to a replica the balancer trusts exactly that certificate
/// (not "any certificate", which would let anything on the port read the admin token the client sent).
/// </summary>
internal static class ReplicaCertificatePin
{
    /// <summary>A validation callback that accepts <paramref name="pinned"/> for the replica's address and nothing else.</summary>
    public static RemoteCertificateValidationCallback For(X509Certificate2 pinned)
    {
        var expected = pinned.RawData;
        return (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None // the name must match
            && certificate.GetRawCertData().AsSpan().SequenceEqual(expected);
    }
}
