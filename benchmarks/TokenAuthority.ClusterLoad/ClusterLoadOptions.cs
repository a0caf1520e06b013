namespace TokenAuthority.ClusterLoad;

/// <summary>What a <see cref="ClusterLoadRun"/> loads, and how hard.</summary>
internal sealed record ClusterLoadOptions
{
    /// <summary>The load balancer (the cluster's issuer URL), e.g. <c>https://127.0.0.1:9443</c>.</summary>
    public required Uri Balancer { get; init; }

    /// <summary>The PEM certificate the balancer serves (<c>replica-1/tls.crt</c>): the only authority the client trusts.</summary>
    public required string CertificateAuthorityFile { get; init; }

    /// <summary>The admin token: it creates the service account and pods, requests and reviews the tokens.</summary>
    public required string AdminToken { get; init; }

    /// <summary>Concurrent clients, each one request at a time (32).</summary>
    public int Clients { get; init; } = 32;

    /// <summary>Pods created first; tokens are bound to them in turn (32).</summary>
    public int Pods { get; init; } = 32;

    /// <summary>The namespace of the service account and its pods (<c>default</c>).</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The service account the tokens are for, created if missing; its pods are named <c>{ServiceAccount}-{i}</c>.</summary>
    public string ServiceAccount { get; init; } = "cluster-load";

    /// <summary>The audience requested and reviewed.</summary>
    public string Audience { get; init; } = "orders";

    /// <summary>
    /// HTTP/2 (one connection multiplexing every client's requests, more when its streams run out) instead of
    /// HTTP/1.1 with one connection per client (the default: closer to many independent callers).
    /// </summary>
    public bool Http2 { get; init; }

    /// <summary>The longest one request may take before it counts as an error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
