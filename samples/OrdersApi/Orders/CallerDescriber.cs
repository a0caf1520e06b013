using System.Security.Claims;
using TokenAuthority.AspNetCore.Authentication;

namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>
/// Reads who called from the principal. Both schemes (the JwtBearer helper and TokenReview) describe the caller
/// with the same <see cref="TokenAuthorityClaimTypes"/>: user name, service account, and the bound pod and node.
/// </summary>
internal static class CallerDescriber
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public static Caller Describe(ClaimsPrincipal user, string verifiedBy)
    {
        var username = user.FindFirst(TokenAuthorityClaimTypes.Username)?.Value;
        return new Caller(
            verifiedBy,
            username,
            ServiceAccount(user, username),
            Reference(user, TokenAuthorityClaimTypes.PodName, TokenAuthorityClaimTypes.PodUid),
            Reference(user, TokenAuthorityClaimTypes.NodeName, TokenAuthorityClaimTypes.NodeUid));
    }

    private static ObjectReference? ServiceAccount(ClaimsPrincipal user, string? username)
    {
        var uid = user.FindFirst(TokenAuthorityClaimTypes.Uid)?.Value;
        if (user.FindFirst(TokenAuthorityClaimTypes.ServiceAccountName)?.Value is { } name)
        {
            return new ObjectReference(name, uid, user.FindFirst(TokenAuthorityClaimTypes.Namespace)?.Value);
        }

        // A TokenReview answer names the account only in the user name: system:serviceaccount:<namespace>:<name>.
        var parts = username is not null && username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal)
            ? username[ServiceAccountPrefix.Length..].Split(':')
            : [];
        return parts.Length == 2 ? new ObjectReference(parts[1], uid, parts[0]) : null;
    }

    private static ObjectReference? Reference(ClaimsPrincipal user, string nameClaim, string uidClaim) =>
        user.FindFirst(nameClaim)?.Value is { } name ? new ObjectReference(name, user.FindFirst(uidClaim)?.Value) : null;
}
