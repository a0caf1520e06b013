using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TokenAuthority.Validation;

/// <summary>
/// Trusts exactly the given certificate authorities for TLS connections to the token authority, as a kubeconfig's
/// <c>certificate-authority</c> does: the server's chain must end in one of them (the machine's root store plays no
/// part), and the host name must still match. Use it for the TokenReview backchannel (which does this for you when
/// <see cref="TokenReviewAuthenticationOptions.CertificateAuthorityFile"/> is set), the JwtBearer backchannel
/// (<c>o.BackchannelHttpHandler = PinnedCertificateAuthority.FromPemFile(path).CreateHandler()</c>), or any client of
/// the authority.
/// </summary>
public sealed class PinnedCertificateAuthority
{
    private readonly X509Certificate2Collection _authorities;
    private readonly TimeProvider _timeProvider;

    /// <summary>Trusts <paramref name="authorities"/> (copied; later changes to the collection do not count) and nothing else.</summary>
    /// <param name="authorities">The CA certificates; at least one.</param>
    /// <param name="timeProvider">The clock certificate validity is judged by; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="authorities"/> is empty.</exception>
    public PinnedCertificateAuthority(X509Certificate2Collection authorities, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (authorities.Count == 0)
        {
            throw new ArgumentException("Pin at least one certificate authority.", nameof(authorities));
        }

        _authorities = [.. authorities];
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Trusts the certificates of a PEM file (e.g. the authority's self-signed <c>tls.crt</c>) and nothing else.</summary>
    /// <param name="path">The PEM file.</param>
    /// <param name="timeProvider">The clock certificate validity is judged by; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="InvalidOperationException">The file holds no certificate.</exception>
    public static PinnedCertificateAuthority FromPemFile(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"The CA file {path} holds no certificate.");
        }

        return new PinnedCertificateAuthority(authorities, timeProvider);
    }

    /// <summary>
    /// Whether a server certificate is acceptable: present, issued for the host that was asked for (as the platform
    /// judged it), and chaining to one of the pinned authorities at the current time. The platform's own chain verdict
    /// is ignored: a chain the machine trusts but that does not end in a pinned authority is refused.
    /// </summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="chain">The chain the server presented (its intermediates are used, never trusted).</param>
    /// <param name="errors">The platform's verdict.</param>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // Name mismatch or no certificate: never acceptable. Chain errors are re-judged against the pinned CAs alone.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var pinned = new X509Chain();
        pinned.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinned.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        pinned.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        pinned.ChainPolicy.VerificationTime = _timeProvider.GetUtcNow().UtcDateTime;
        pinned.ChainPolicy.VerificationTimeIgnored = false;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                pinned.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return pinned.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return pinned.Build(copy);
    }

    /// <summary>A callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> that calls <see cref="Validate"/>.</summary>
    public RemoteCertificateValidationCallback ValidationCallback => (_, certificate, chain, errors) => Validate(certificate, chain, errors);

    /// <summary>
    /// A handler for calls to the authority that trusts only the pinned authorities. It never follows a redirect (a 307
    /// or 308 would re-send a request body, such as a reviewed token, wherever it points) and renews pooled
    /// connections every 5 minutes (so DNS changes are seen).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidationCallback },
    };
}
