using Microsoft.Extensions.Options;

namespace TokenAuthority.Client;

/// <summary>Checks at start-up that the remote authority is configured completely.</summary>
internal sealed class RemoteTokenAuthorityOptionsValidator : IValidateOptions<RemoteTokenAuthorityOptions>
{
    public ValidateOptionsResult Validate(string? name, RemoteTokenAuthorityOptions options)
    {
        var failures = new List<string>();
        if (options.KubeconfigFile is { } kubeconfig)
        {
            if (!File.Exists(kubeconfig))
            {
                failures.Add($"KubeconfigFile '{kubeconfig}' does not exist; set it to the kubeconfig the authority wrote.");
            }
            else
            {
                try
                {
                    var config = Kubeconfig.Load(kubeconfig);
                    if (config.Token is null && config.TokenFile is null && options.BearerToken is null && options.BearerTokenFile is null)
                    {
                        failures.Add($"The kubeconfig '{kubeconfig}' gives its user no token or tokenFile; set BearerTokenFile.");
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or FormatException or KeyNotFoundException or IOException)
                {
                    failures.Add($"KubeconfigFile '{kubeconfig}' cannot be used: {e.Message}");
                }
            }
        }
        else
        {
            if (options.ServerUrl is null)
            {
                failures.Add("Set ServerUrl (the authority's https URL) or KubeconfigFile.");
            }
            if (options.BearerToken is null && options.BearerTokenFile is null)
            {
                failures.Add("Set BearerTokenFile (or BearerToken) to the credential the authority accepts for TokenRequest, or set KubeconfigFile.");
            }
        }
        if (options.ServerUrl is { } url && !url.IsAbsoluteUri)
        {
            failures.Add($"ServerUrl '{url}' must be an absolute URL such as https://127.0.0.1:6443.");
        }
        if (options.CertificateAuthorityFile is { } ca && !File.Exists(ca))
        {
            failures.Add($"CertificateAuthorityFile '{ca}' does not exist.");
        }
        if (options.BearerTokenFile is { } tokenFile && !File.Exists(tokenFile))
        {
            failures.Add($"BearerTokenFile '{tokenFile}' does not exist.");
        }
        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Timeout must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
