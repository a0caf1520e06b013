using Microsoft.Extensions.Options;

namespace TokenAuthority.Client;

/// <summary>The remote authority resolved once from <see cref="RemoteTokenAuthorityOptions"/> (kubeconfig first, explicit settings over it).</summary>
internal sealed class RemoteTokenAuthorityEndpoint
{
    public RemoteTokenAuthorityEndpoint(IOptions<RemoteTokenAuthorityOptions> options)
    {
        var o = options.Value;
        var kubeconfig = o.KubeconfigFile is { } path ? Kubeconfig.Load(path) : null;
        Server = o.ServerUrl ?? kubeconfig?.Server
            ?? throw new InvalidOperationException("Set ServerUrl (the authority's https URL) or KubeconfigFile.");
        CertificateAuthorityPem = o.CertificateAuthorityFile is { } ca ? File.ReadAllText(ca) : kubeconfig?.CertificateAuthorityPem;
        _token = o.BearerToken ?? (o.BearerTokenFile is null ? kubeconfig?.Token : null);
        _tokenFile = o.BearerTokenFile ?? (o.BearerToken is null ? kubeconfig?.TokenFile : null);
        Timeout = o.Timeout;
    }

    private readonly string? _token;
    private readonly string? _tokenFile;

    public Uri Server { get; }

    public string? CertificateAuthorityPem { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The credential for the next TokenRequest (a token file is re-read each time: TokenRequests are rare).</summary>
    public async ValueTask<string?> GetBearerTokenAsync(CancellationToken cancellationToken)
        => _tokenFile is null ? _token : (await File.ReadAllTextAsync(_tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
}
