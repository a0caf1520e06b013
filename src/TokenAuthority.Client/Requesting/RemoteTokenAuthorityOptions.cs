namespace TokenAuthority.Client;

/// <summary>
/// Where the remote token authority is and how to authenticate to it: either <see cref="KubeconfigFile"/> (as the
/// Authority sample writes one), or <see cref="ServerUrl"/> with a CA and a bearer credential.
/// </summary>
public sealed class RemoteTokenAuthorityOptions
{
    /// <summary>A kubeconfig file (YAML's JSON form): the current context's cluster gives the server and CA, its user the token.</summary>
    public string? KubeconfigFile { get; set; }

    /// <summary>The authority's base URL, for example <c>https://127.0.0.1:6443</c>. Overrides the kubeconfig's server.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>A PEM file with the CA that signed the authority's TLS certificate; only this CA is trusted when set.</summary>
    public string? CertificateAuthorityFile { get; set; }

    /// <summary>The bearer credential sent to the authority. Prefer <see cref="BearerTokenFile"/>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>A file holding the bearer credential, re-read for each TokenRequest (so a rotated credential is picked up).</summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>How long one TokenRequest may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
