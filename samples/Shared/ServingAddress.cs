using System.Net;
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
    /// <summary>
    /// The setting that says listening beyond loopback is intended (<c>--AllowNonLoopback true</c>); without it, such an
    /// address gets a warning at start-up (<see cref="NonLoopbackWarning"/>).
    /// </summary>
    public const string AllowNonLoopbackKey = "AllowNonLoopback";

    /// <summary>Whether <see cref="AllowNonLoopbackKey"/> is set to <c>true</c>.</summary>
    public bool AllowNonLoopback { get; init; }

    /// <summary>The issuer derived from the address: scheme, host and port, no trailing slash.</summary>
    public string Issuer => Server.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// The warning (one sentence) for the URLs that listen beyond loopback when <see cref="AllowNonLoopback"/> is not set,
    /// or <see langword="null"/> when every URL is loopback (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>) or the
    /// choice is explicit. Kestrel binds a host name other than <c>localhost</c> (<c>https://example.invalid:8443</c>) to
    /// every interface, as it does <c>*</c>, <c>+</c>, <c>0.0.0.0</c> and <c>[::]</c>.
    /// </summary>
    public string? NonLoopbackWarning()
    {
        if (AllowNonLoopback)
        {
            return null;
        }

        var beyond = new List<string>();
        foreach (var url in SplitUrls(Urls))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                continue; // Kestrel refuses it when it binds.
            }

            var host = address.Host.Trim('[', ']');
            var ip = IPAddress.TryParse(host, out var parsed) ? parsed : null;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (ip is not null && IPAddress.IsLoopback(ip)))
            {
                continue;
            }

            var what = address.Host is "*" or "+" || (ip is not null && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
                ? "every interface"
                : ip is not null
                    ? $"{ip}, beyond loopback"
                    : "every interface (Kestrel binds a host name other than localhost to all addresses)";
            beyond.Add($"{url} listens on {what}");
        }

        if (beyond.Count == 0)
        {
            return null;
        }

        var loopback = $"{Server.Scheme}://127.0.0.1:{Server.Port}";
        return $"{string.Join("; ", beyond)}: anyone who can reach this machine can connect. If that is intended, pass --{AllowNonLoopbackKey} true; otherwise listen on loopback only, e.g. --urls {loopback}.";
    }

    /// <summary>The address from configuration, or <paramref name="defaultUrl"/> when none is configured.</summary>
    public static ServingAddress Resolve(IConfiguration configuration, string defaultUrl)
    {
        var allow = configuration[AllowNonLoopbackKey];
        var allowNonLoopback = false;
        if (!string.IsNullOrWhiteSpace(allow) && !bool.TryParse(allow, out allowNonLoopback))
        {
            throw new InvalidOperationException($"--{AllowNonLoopbackKey} must be true or false, got \"{allow}\".");
        }

        var configured = configuration[WebHostDefaults.ServerUrlsKey];
        var urls = string.IsNullOrWhiteSpace(configured) ? defaultUrl : configured;
        foreach (var url in SplitUrls(urls))
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
            return new ServingAddress(urls, new Uri($"https://{host}:{address.Port}"), string.IsNullOrWhiteSpace(configured)) { AllowNonLoopback = allowNonLoopback };
        }

        throw new InvalidOperationException(
            $"None of the URLs \"{urls}\" is https. One is needed: tokens name it as their issuer, which must be https (and kubectl sends bearer tokens only over https). Use e.g. --urls {defaultUrl}.");
    }

    private static string[] SplitUrls(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
