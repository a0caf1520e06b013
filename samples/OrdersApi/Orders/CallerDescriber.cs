using System.Security.Claims;
using System.Text.Json;

namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>
/// Reads who called from the authenticated principal. A JWT validated through OIDC discovery carries the
/// Kubernetes private claim <c>kubernetes.io</c> (namespace, service account, pod, node); a principal built from
/// a TokenReview carries the user name and the review's <c>extra</c> values (pod name and uid, node name and uid).
/// </summary>
internal static class CallerDescriber
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public static Caller Describe(ClaimsPrincipal user, string verifiedBy)
    {
        var username = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity?.Name;
        if (user.FindFirst("kubernetes.io")?.Value is { } privateClaim)
        {
            return FromPrivateClaim(verifiedBy, username, privateClaim);
        }

        return new Caller(verifiedBy, username, ServiceAccountFromUsername(username, Extra(user, "uid")), Reference(user, "pod"), Reference(user, "node"));
    }

    private static Caller FromPrivateClaim(string verifiedBy, string? username, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var @namespace = root.TryGetProperty("namespace", out var ns) ? ns.GetString() : null;
        var serviceAccount = Named(root, "serviceaccount", @namespace);
        return new Caller(verifiedBy, username, serviceAccount, Named(root, "pod", null), Named(root, "node", null));
    }

    private static ObjectReference? Named(JsonElement root, string property, string? @namespace) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("name", out var name)
            ? new ObjectReference(name.GetString() ?? string.Empty, value.TryGetProperty("uid", out var uid) ? uid.GetString() : null, @namespace)
            : null;

    private static ObjectReference? ServiceAccountFromUsername(string? username, string? uid)
    {
        if (username is null || !username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = username[ServiceAccountPrefix.Length..].Split(':');
        return parts.Length == 2 ? new ObjectReference(parts[1], uid, parts[0]) : null;
    }

    private static ObjectReference? Reference(ClaimsPrincipal user, string kind) =>
        Extra(user, $"authentication.kubernetes.io/{kind}-name") is { } name
            ? new ObjectReference(name, Extra(user, $"authentication.kubernetes.io/{kind}-uid"))
            : null;

    private static string? Extra(ClaimsPrincipal user, string key) => user.FindFirst(key)?.Value;
}
