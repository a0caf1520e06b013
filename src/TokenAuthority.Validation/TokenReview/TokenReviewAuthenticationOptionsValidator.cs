using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Validation;

/// <summary>Refuses, at start-up, a TokenReview scheme that could not verify anything safely.</summary>
internal sealed class TokenReviewAuthenticationOptionsValidator : IValidateOptions<TokenReviewAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenReviewAuthenticationOptions options)
    {
        var failures = AuthenticationOptionsChecks.AudienceFailures(name, options).ToList();
        if (string.IsNullOrEmpty(options.Authority))
        {
            failures.Add($"Authentication scheme '{name}' has no Authority: set it to the token authority's base URL, e.g. https://tokens.example.com.");
        }
        else if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            failures.Add($"Authentication scheme '{name}' has an Authority that is not an absolute http(s) URL without query or fragment: {options.Authority}");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && options.RequireHttpsAuthority)
        {
            failures.Add($"Authentication scheme '{name}' would send bearer tokens to {options.Authority} unencrypted: use https (or, for local development only, set RequireHttpsAuthority = false).");
        }

        if (options.CacheDuration < TimeSpan.Zero || options.CacheDuration > TokenReviewAuthenticationDefaults.MaxCacheDuration)
        {
            failures.Add($"Authentication scheme '{name}' has CacheDuration {options.CacheDuration}: use a value from 0 (no caching) to {TokenReviewAuthenticationDefaults.MaxCacheDuration}; a deleted pod's token works for up to this long.");
        }

        if (options.CacheSizeLimit < 0)
        {
            failures.Add($"Authentication scheme '{name}' has a negative CacheSizeLimit: use the number of answers to keep (default {TokenReviewAuthenticationDefaults.CacheSizeLimit}), or 0 to keep none.");
        }

        if (options.BackchannelTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Authentication scheme '{name}' has BackchannelTimeout {options.BackchannelTimeout}: use a positive value.");
        }

        if (options.Issuers.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"Authentication scheme '{name}' has an empty entry in Issuers: list the authority's issuers exactly as they appear in iss, or leave Issuers empty to use the Authority URL.");
        }

        if (FollowsRedirects(options.BackchannelHttpHandler))
        {
            failures.Add($"Authentication scheme '{name}' has a BackchannelHttpHandler that follows redirects, which would post reviewed tokens to wherever a redirect points: set AllowAutoRedirect = false on it.");
        }

        if (options.BackchannelHttpHandler is not null && !string.IsNullOrEmpty(options.CertificateAuthorityFile))
        {
            failures.Add($"Authentication scheme '{name}' sets both BackchannelHttpHandler and CertificateAuthorityFile: trust the CA in your handler, or drop the handler.");
        }
        else if (!string.IsNullOrEmpty(options.CertificateAuthorityFile))
        {
            var problem = CheckCertificateAuthorityFile(options.CertificateAuthorityFile);
            if (problem is not null)
            {
                failures.Add($"Authentication scheme '{name}': CertificateAuthorityFile {options.CertificateAuthorityFile} {problem}");
            }
        }

        if (!string.IsNullOrEmpty(options.ReviewerToken) && !string.IsNullOrEmpty(options.ReviewerTokenFile))
        {
            failures.Add($"Authentication scheme '{name}' sets both ReviewerToken and ReviewerTokenFile: keep one.");
        }
        else if (!string.IsNullOrEmpty(options.ReviewerTokenFile) && !File.Exists(options.ReviewerTokenFile))
        {
            failures.Add($"Authentication scheme '{name}': ReviewerTokenFile {options.ReviewerTokenFile} does not exist.");
        }

        if (options.Backchannel is null && failures.Count == 0)
        {
            failures.Add($"Authentication scheme '{name}' could not create its HTTP client.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether the handler, or one it delegates to, is a stock handler left to follow redirects (their default).</summary>
    private static bool FollowsRedirects(HttpMessageHandler? handler)
    {
        // Bounded: a chain of delegating handlers is short; a cycle would be a bug elsewhere.
        for (var depth = 0; handler is not null && depth < 32; depth++)
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    return sockets.AllowAutoRedirect;
                case HttpClientHandler client:
                    return client.AllowAutoRedirect;
                case DelegatingHandler delegating:
                    handler = delegating.InnerHandler;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    private static string? CheckCertificateAuthorityFile(string path)
    {
        if (!File.Exists(path))
        {
            return "does not exist.";
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count == 0 ? "holds no PEM certificate." : null;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"could not be read: {ex.Message}";
        }
    }
}
