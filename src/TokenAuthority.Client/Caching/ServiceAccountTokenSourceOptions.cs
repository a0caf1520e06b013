namespace TokenAuthority.Client;

/// <summary>The caller's own identity and how its token source refreshes and retries.</summary>
public sealed class ServiceAccountTokenSourceOptions
{
    /// <summary>The namespace of the service account this process calls as (handlers may override).</summary>
    public string? Namespace { get; set; }

    /// <summary>The service account this process calls as (handlers may override).</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>
    /// The age at which a token is refreshed even if 80 % of its lifetime has not passed. Default 24 hours, the kubelet's
    /// rule; a demo may lower it to see refreshes within minutes (the authority's shortest lifetime is 10 minutes).
    /// </summary>
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The largest random delay taken off each refresh time, so replicas do not refresh together. Default 10 s, as the kubelet.</summary>
    public TimeSpan MaxRefreshJitter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay before retrying a failed refresh; doubled after each failure. Default 1 s.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries of a failed refresh. Default 1 minute.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}
