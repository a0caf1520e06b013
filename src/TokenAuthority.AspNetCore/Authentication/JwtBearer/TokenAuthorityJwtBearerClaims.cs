using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using TokenAuthority.Binding;
using TokenAuthority.Claims;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>
/// Adds the <see cref="TokenAuthorityClaimTypes"/> claims a verified JWT allows to the JwtBearer principal:
/// username, namespace, service account name and uid, bound object kind and the pod/node extras.
/// Groups are not added (they are not in the token).
/// </summary>
internal static class TokenAuthorityJwtBearerClaims
{
    public static Task AddAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaims(From(identity));
        }

        return Task.CompletedTask;
    }

    internal static IEnumerable<Claim> From(ClaimsIdentity identity)
    {
        var claims = new List<Claim>();
        var issuer = identity.FindFirst("iss")?.Value ?? ClaimsIdentity.DefaultIssuer;
        void Add(string type, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
            }
        }

        var subject = identity.FindFirst("sub")?.Value;
        if (TokenAuthority.Identity.ServiceAccountUserInfo.TryParseUsername(subject, out var ns, out var name))
        {
            Add(TokenAuthorityClaimTypes.Username, subject);
            Add(TokenAuthorityClaimTypes.Namespace, ns);
            Add(TokenAuthorityClaimTypes.ServiceAccountName, name);
        }

        var json = identity.FindFirst(ServiceAccountTokenClaims.PrivateClaimName)?.Value;
        if (string.IsNullOrEmpty(json))
        {
            return claims;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return claims;
            }

            Add(TokenAuthorityClaimTypes.Uid, Member(root, "serviceaccount", "uid"));
            var podName = Member(root, "pod", "name");
            var nodeName = Member(root, "node", "name");
            Add(TokenAuthorityClaimTypes.PodName, podName);
            Add(TokenAuthorityClaimTypes.PodUid, Member(root, "pod", "uid"));
            Add(TokenAuthorityClaimTypes.NodeName, nodeName);
            Add(TokenAuthorityClaimTypes.NodeUid, Member(root, "node", "uid"));
            Add(TokenAuthorityClaimTypes.BoundObjectKind,
                podName is not null ? BoundObjectKinds.Pod
                : Member(root, "secret", "name") is not null ? BoundObjectKinds.Secret
                : nodeName is not null ? BoundObjectKinds.Node
                : null);
        }
        catch (JsonException)
        {
            // A signed token with an unreadable private claim: add nothing beyond the subject.
        }

        return claims;
    }

    private static string? Member(JsonElement root, string reference, string field) =>
        root.TryGetProperty(reference, out var r) && r.ValueKind == JsonValueKind.Object
        && r.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
