namespace TokenAuthority.Health;

/// <summary>
/// Names and tags of the checks <c>AddTokenAuthorityChecks()</c> registers, for a host's health endpoints (map them to
/// readiness by <see cref="ReadyTag"/>, as a Kubernetes API server's <c>/readyz</c> includes its storage).
/// </summary>
public static class TokenAuthorityHealthChecks
{
    /// <summary>
    /// The key check: the key set loads, and its signing key signs (a probe signature that verifies with its public key).
    /// </summary>
    public const string KeysName = "tokenauthority-keys";

    /// <summary>
    /// The resolver check: the bound-object resolver answers a lookup of a sentinel object within
    /// <see cref="TokenAuthorityOptions.ResolverTimeout"/> ("not found" is an answer); a throw or a timeout is unhealthy.
    /// </summary>
    public const string ResolverName = "tokenauthority-resolver";

    /// <summary>The tag of every TokenAuthority check.</summary>
    public const string Tag = "tokenauthority";

    /// <summary>The readiness tag the checks carry by default.</summary>
    public const string ReadyTag = "ready";
}
