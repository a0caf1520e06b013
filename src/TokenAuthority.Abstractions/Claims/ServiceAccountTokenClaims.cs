using System.Diagnostics.CodeAnalysis;
using TokenAuthority.Binding;

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

    /// <summary>
    /// Reads the claims of a JWT payload whose signature, issuer, audience and lifetime were checked elsewhere (e.g. by
    /// JwtBearer), by the verifier's rules: a member of the wrong type, a name given twice or a binding no kind explains
    /// is refused, never read as absent.
    /// </summary>
    /// <param name="payloadJson">The payload's JSON text.</param>
    /// <param name="boundObjectKinds">The kinds the authority registered beyond Pod, Secret and Node; null for none.</param>
    /// <param name="claims">The claims, when they could be read.</param>
    /// <param name="unknownBinding">When refused for it: the <c>kubernetes.io</c> member naming a binding no kind explains.</param>
    /// <returns>Whether <paramref name="claims"/> was read.</returns>
    public static bool TryParse(
        string payloadJson,
        IEnumerable<BoundObjectKind>? boundObjectKinds,
        [NotNullWhen(true)] out ServiceAccountTokenClaims? claims,
        out string? unknownBinding)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return TryRead(payloadJson, new BoundObjectKindTable(boundObjectKinds ?? []), out claims, out unknownBinding);
    }

    /// <summary>As the public overload, with the kinds' table built once by the caller (a scheme reads every request).</summary>
    internal static bool TryRead(
        string payloadJson,
        BoundObjectKindTable kinds,
        [NotNullWhen(true)] out ServiceAccountTokenClaims? claims,
        out string? unknownBinding)
    {
        claims = null;
        unknownBinding = null;

        // Not JSON, not an object, a name given twice, or a string no reader can read (a lone surrogate): not claims.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(payloadJson);
        if (!StrictJson.IsStrictObject(utf8))
        {
            return false;
        }

        claims = ClaimsSerializer.Read(utf8, kinds, out unknownBinding);
        return claims is not null;
    }
}
