using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenAuthority.Samples.Shared;

namespace TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;

/// <summary>
/// The load balancer's settings, read and checked before the host is built: where it listens, the replicas behind it
/// and the one certificate they all serve (the balancer serves it too and trusts exactly it on the way to a replica).
/// </summary>
internal sealed record LoadBalancerSettings(Uri Listen, IReadOnlyList<Uri> Backends, X509Certificate2 Certificate, TimeSpan HealthCheckInterval)
{
    /// <summary>Where the balancer listens when <c>--urls</c> is not given.</summary>
    public const string DefaultUrl = "https://127.0.0.1:9443";

    /// <summary>Reads the settings; an <see cref="InvalidOperationException"/> names the first wrong one and its remedy.</summary>
    public static LoadBalancerSettings Resolve(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? DefaultUrl;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? DefaultUrl;
        if (!Uri.TryCreate(first, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"--urls \"{urls}\" does not start with an https:// URL; the balancer serves TLS only (e.g. {DefaultUrl}).");
        }

        var backends = new List<Uri>();
        foreach (var child in configuration.GetSection("Backends").GetChildren())
        {
            if (!Uri.TryCreate(child.Value, UriKind.Absolute, out var backend) || backend.Scheme != Uri.UriSchemeHttps || backend.AbsolutePath != "/")
            {
                throw new InvalidOperationException($"--Backends:{child.Key} \"{child.Value}\" is not an https:// URL of a replica (e.g. https://127.0.0.1:8444).");
            }

            backends.Add(backend);
        }

        if (backends.Count == 0)
        {
            throw new InvalidOperationException("no replica is given: pass --Backends:0 https://127.0.0.1:PORT (and :1, :2 … for more).");
        }

        var certificateFile = Required(configuration, "Tls:CertificateFile");
        var keyFile = Required(configuration, "Tls:KeyFile");
        X509Certificate2 certificate;
        try
        {
            certificate = TlsCertificateFactory.Load(certificateFile, keyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"--Tls:CertificateFile \"{certificateFile}\" and --Tls:KeyFile \"{keyFile}\" cannot be loaded together ({ex.Message.TrimEnd('.')}); pass the replicas' tls.crt and tls.key.", ex);
        }

        var interval = configuration.GetValue("HealthCheckInterval", TimeSpan.FromSeconds(1));
        if (interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"--HealthCheckInterval {interval} must be positive (e.g. 00:00:01).");
        }

        return new LoadBalancerSettings(listen, backends, certificate, interval);
    }

    private static string Required(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"--{key} is not set: pass the replicas' {(key.EndsWith("KeyFile", StringComparison.Ordinal) ? "tls.key" : "tls.crt")}.");
}
