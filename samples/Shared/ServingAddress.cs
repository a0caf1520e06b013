using Microsoft.AspNetCore.Hosting;

namespace TokenAuthority.Samples.Shared;

/// <summary>
/// Where a sample listens and the https URL clients use: <c>--urls</c> / <c>ASPNETCORE_URLS</c>, or the sample's
/// default (loopback only) when neither is given. The first https URL is the base URL clients use (the Authority's
/// kubeconfig names it) and, unless <c>TokenAuthority:Issuer</c> is set, the issuer: discovery and JWKS are served
/// there, so an outside verifier finds the keys from a token's <c>iss</c>. It must be https, as Kubernetes requires of a
/// service-account issuer (and kubectl sends bearer tokens only over https).
/// </summary>
/// <param name="Urls">The URLs to listen on (semicolon-separated).</param>
/// <param name="Server">The first https URL, with a wildcard host replaced by <c>localhost</c>.</param>
/// <param name="IsDefault">Whether no URL was configured.</param>
internal sealed record ServingAddress(string Urls, Uri Server, bool IsDefault)
{
    /// <summary>The issuer derived from the address: scheme, host and port, no trailing slash.</summary>
    public string Issuer => Server.GetLeftPart(UriPartial.Authority);

    /// <summary>The address from configuration, or <paramref name="defaultUrl"/> when none is configured.</summary>
    public static ServingAddress Resolve(IConfiguration configuration, string defaultUrl)
    {
        var configured = configuration[WebHostDefaults.ServerUrlsKey];
        var urls = string.IsNullOrWhiteSpace(configured) ? defaultUrl : configured;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"The URL \"{url}\" in --urls cannot be parsed: {ex.Message}", ex);
            }

            if (!address.Scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (address.Port == 0)
            {
                throw new InvalidOperationException(
                    $"\"{url}\" asks for a random port, but the issuer (and the files that name the server) must name the port before the server listens. Pick a free port instead, e.g. --urls {defaultUrl}.");
            }

            var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" ? "localhost" : address.Host;
            return new ServingAddress(urls, new Uri($"https://{host}:{address.Port}"), string.IsNullOrWhiteSpace(configured));
        }

        throw new InvalidOperationException(
            $"None of the URLs \"{urls}\" is https. One is needed: tokens name it as their issuer, which must be https (and kubectl sends bearer tokens only over https). Use e.g. --urls {defaultUrl}.");
    }
}
