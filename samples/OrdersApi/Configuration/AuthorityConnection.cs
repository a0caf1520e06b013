using System.Security.Cryptography;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.OrdersApi.Configuration;

/// <summary>
/// The checked, resolved form of <see cref="AuthorityConnectionOptions"/>: absolute paths, the CA certificate
/// loaded, the reviewer token read. Built once at start-up; a problem stops the service with a message that
/// says what to change (never a 500 on the first request).
/// </summary>
public sealed class AuthorityConnection
{
    private AuthorityConnection(Uri url, string caFile, PinnedCertificateAuthority certificateAuthority, string reviewerToken, string audience, TimeSpan tokenReviewCacheDuration)
    {
        TokenReviewCacheDuration = tokenReviewCacheDuration;
        Url = url;
        CaFile = caFile;
        CertificateAuthority = certificateAuthority;
        ReviewerToken = reviewerToken;
        Audience = audience;
    }

    /// <summary>The authority's base URL (its issuer), without a trailing slash.</summary>
    public Uri Url { get; }

    /// <summary>The issuer string as it appears in tokens.</summary>
    public string Issuer => Url.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The absolute path of the CA file.</summary>
    public string CaFile { get; }

    /// <summary>
    /// The certificate authority that the authority's TLS certificate must chain to, and nothing else: the machine's root
    /// store plays no part, and the host name is still checked. <c>CertificateAuthority.CreateHandler()</c> gives the
    /// handler for calls to the authority.
    /// </summary>
    public PinnedCertificateAuthority CertificateAuthority { get; }

    /// <summary>The token for TokenReview calls. Never logged.</summary>
    public string ReviewerToken { get; }

    /// <summary>The audience tokens must carry.</summary>
    public string Audience { get; }

    /// <summary>How long a positive TokenReview answer is reused.</summary>
    public TimeSpan TokenReviewCacheDuration { get; }

    /// <summary>Checks and resolves the options; relative paths are taken from <paramref name="contentRoot"/>.</summary>
    public static AuthorityConnection Resolve(AuthorityConnectionOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"Authority:Url \"{options.Url}\" must be the authority's absolute https URL, e.g. https://127.0.0.1:8443.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new InvalidOperationException("Authority:Audience must name the audience tokens are requested for, e.g. orders.");
        }

        var caFile = Path.GetFullPath(options.CaFile, contentRoot);
        PinnedCertificateAuthority certificateAuthority;
        try
        {
            certificateAuthority = PinnedCertificateAuthority.FromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Authority:CaFile \"{caFile}\" cannot be read as a PEM certificate ({ex.Message}). Start the Authority sample first (it writes tls.crt into its data directory), or point Authority:CaFile at its tls.crt.", ex);
        }

        return new AuthorityConnection(url, caFile, certificateAuthority, ReadReviewerToken(options, contentRoot), options.Audience, options.TokenReviewCacheDuration);
    }

    private static string ReadReviewerToken(AuthorityConnectionOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.ReviewerToken))
        {
            return options.ReviewerToken.Trim();
        }

        if (string.IsNullOrWhiteSpace(options.ReviewerTokenFile))
        {
            throw new InvalidOperationException("Set Authority:ReviewerToken or Authority:ReviewerTokenFile: GET /orders/bound asks the authority's TokenReview, which needs a bearer token.");
        }

        var path = Path.GetFullPath(options.ReviewerTokenFile, contentRoot);
        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : throw new InvalidOperationException($"Authority:ReviewerTokenFile \"{path}\" is empty.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Authority:ReviewerTokenFile \"{path}\" cannot be read ({ex.Message}). Start the Authority sample first, or set Authority:ReviewerToken.", ex);
        }
    }
}
