namespace TokenAuthority.Claims;

/// <summary>
/// What a bound service-account token says: the registered JWT claims plus the private
/// <c>kubernetes.io</c> claim (namespace, service account, bound pod/secret/node, <c>warnafter</c>).
/// </summary>
public sealed record ServiceAccountTokenClaims
{
    /// <summary>The <c>kubernetes.io</c> claim name.</summary>
    public const string PrivateClaimName = "kubernetes.io";

    /// <summary><c>iss</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary><c>sub</c>: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public required string Subject { get; init; }

    /// <summary><c>aud</c>, always an array on the wire.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary><c>exp</c> in Unix seconds.</summary>
    public long? Expires { get; init; }

    /// <summary><c>iat</c> in Unix seconds.</summary>
    public long? IssuedAt { get; init; }

    /// <summary><c>nbf</c> in Unix seconds.</summary>
    public long? NotBefore { get; init; }

    /// <summary><c>jti</c>: a random UUID.</summary>
    public string? Id { get; init; }

    /// <summary><c>kubernetes.io.namespace</c>.</summary>
    public required string Namespace { get; init; }

    /// <summary><c>kubernetes.io.serviceaccount</c>.</summary>
    public required ObjectReferenceClaim ServiceAccount { get; init; }

    /// <summary>
    /// The object the token is bound to (<c>kubernetes.io.pod</c>, <c>.secret</c>, <c>.node</c> or a registered kind's
    /// member); null for a token bound to nothing but its service account.
    /// </summary>
    public BoundObjectClaim? BoundObject { get; init; }

    /// <summary>
    /// <c>kubernetes.io.node</c> of a token bound to an object that runs on a node (a pod): recorded for information,
    /// never checked. A token bound to the node itself carries it as <see cref="BoundObject"/> instead.
    /// </summary>
    public ObjectReferenceClaim? Node { get; init; }

    /// <summary><c>kubernetes.io.warnafter</c> in Unix seconds, on extended tokens.</summary>
    public long? WarnAfter { get; init; }
}
