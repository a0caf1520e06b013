using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Validation;

/// <summary>Creates the backchannel client, the answer cache and the expected issuers of each TokenReview scheme, once.</summary>
/// <remarks>
/// The cache and the certificate check run on the scheme's clock: <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.TimeProvider"/>
/// when set, otherwise the <see cref="TimeProvider"/> service, as ASP.NET Core gives every scheme (this may run first).
/// </remarks>
internal sealed class TokenReviewPostConfigureOptions(TimeProvider timeProvider) : IPostConfigureOptions<TokenReviewAuthenticationOptions>
{
    public void PostConfigure(string? name, TokenReviewAuthenticationOptions options)
    {
        var clock = options.TimeProvider ?? timeProvider;
        options.ExpectedIssuers ??= ExpectedIssuers(options);
        options.Cache ??= new TokenReviewCache(Math.Max(options.CacheSizeLimit, 0), clock);
        options.ReviewerTokenSource ??= new ReviewerTokenSource(options.ReviewerToken, options.ReviewerTokenFile);
        if (options.Backchannel is not null)
        {
            return;
        }

        HttpMessageHandler handler;
        if (options.BackchannelHttpHandler is { } configured)
        {
            handler = configured;
        }
        else if (!string.IsNullOrEmpty(options.CertificateAuthorityFile) && File.Exists(options.CertificateAuthorityFile))
        {
            // An unreadable file is reported by the validator; here it would only throw a less helpful error.
            try
            {
                handler = PinnedCertificateAuthority.FromPemFile(options.CertificateAuthorityFile, clock).CreateHandler();
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or InvalidOperationException or IOException)
            {
                return;
            }
        }
        else if (!string.IsNullOrEmpty(options.CertificateAuthorityFile))
        {
            return;
        }
        else
        {
            // A redirect would re-post the reviewed token elsewhere (307/308 keep the body): never follow one.
            handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false };
        }

        options.Backchannel = new HttpClient(handler)
        {
            Timeout = options.BackchannelTimeout > TimeSpan.Zero ? options.BackchannelTimeout : TimeSpan.FromSeconds(10),
            MaxResponseContentBufferSize = TokenReviewAuthenticationHandler.MaxResponseBytes,
        };
        options.Backchannel.DefaultRequestHeaders.UserAgent.ParseAdd("TokenAuthority.Validation");
    }

    /// <summary>The configured issuers, or the Authority URL as written and without its trailing slash (the issuer's usual form).</summary>
    private static FrozenSet<string> ExpectedIssuers(TokenReviewAuthenticationOptions options)
    {
        IEnumerable<string> issuers = options.Issuers.Count > 0 ? options.Issuers
            : string.IsNullOrEmpty(options.Authority) ? []
            : [options.Authority, options.Authority.TrimEnd('/')];
        return issuers.Where(i => !string.IsNullOrEmpty(i)).ToFrozenSet(StringComparer.Ordinal);
    }
}
