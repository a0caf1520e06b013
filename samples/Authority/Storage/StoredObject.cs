namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>One row of the object store.</summary>
/// <param name="Kind">The kind: <c>ServiceAccount</c>, <c>Pod</c>, <c>Secret</c> or <c>Node</c>.</param>
/// <param name="Namespace">The namespace; <see langword="null"/> for cluster-scoped kinds (nodes).</param>
/// <param name="Name">The name (a DNS-1123 subdomain).</param>
/// <param name="Uid">The server-assigned uid; a recreated object gets a new one.</param>
/// <param name="CreationTimestamp">When the object was created; <see langword="null"/> when the store keeps no creation time (PostgreSQL).</param>
/// <param name="ServiceAccountName">For pods: the service account the pod runs as.</param>
/// <param name="NodeName">For pods: the node the pod is on, if any.</param>
internal sealed record StoredObject(
    string Kind,
    string? Namespace,
    string Name,
    string Uid,
    DateTimeOffset? CreationTimestamp,
    string? ServiceAccountName = null,
    string? NodeName = null);
