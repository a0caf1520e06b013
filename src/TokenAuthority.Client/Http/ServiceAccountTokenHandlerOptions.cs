using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>Which token an HttpClient attaches: the callee's audiences, a lifetime, and optionally another account or a bound object.</summary>
public sealed class ServiceAccountTokenHandlerOptions
{
    /// <summary>The callee's audiences (set by <c>AddServiceAccountToken(audience)</c>).</summary>
    public IList<string> Audiences { get; } = [];

    /// <summary>The requested lifetime in seconds. Default 3600 (one hour), the kubelet's default for projected tokens.</summary>
    public long? ExpirationSeconds { get; set; } = 3600;

    /// <summary>The object the token is bound to, if any.</summary>
    public BoundObjectReference? BoundObjectRef { get; set; }

    /// <summary>Overrides the source's <c>Namespace</c> for this client.</summary>
    public string? Namespace { get; set; }

    /// <summary>Overrides the source's <c>ServiceAccountName</c> for this client.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>
    /// A projected token file (as a Kubernetes projected volume provides it) to send instead of requesting tokens; the file is
    /// re-read when it changes and at least every minute. When set, the other settings are not used.
    /// </summary>
    public string? TokenFile { get; set; }
}
