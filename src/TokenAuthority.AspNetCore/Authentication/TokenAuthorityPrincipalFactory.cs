using System.Security.Claims;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>Turns a verified user into a <see cref="ClaimsPrincipal"/> with the <see cref="TokenAuthorityClaimTypes"/>.</summary>
internal static class TokenAuthorityPrincipalFactory
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        TokenAuthorityClaimTypes.Username,
        TokenAuthorityClaimTypes.Uid,
        TokenAuthorityClaimTypes.Group,
        TokenAuthorityClaimTypes.Audience,
        TokenAuthorityClaimTypes.Namespace,
        TokenAuthorityClaimTypes.ServiceAccountName,
        TokenAuthorityClaimTypes.BoundObjectKind,
    };

    public static ClaimsPrincipal Create(TokenVerificationResult result, string authenticationType, string issuer)
    {
        var user = result.User ?? throw new InvalidOperationException("An authenticated result has a user.");
        var claims = new List<Claim>();
        void Add(string type, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
            }
        }

        Add(TokenAuthorityClaimTypes.Username, user.Username);
        Add(TokenAuthorityClaimTypes.Uid, user.Uid);
        if (TryParseServiceAccount(user.Username, out var ns, out var name))
        {
            Add(TokenAuthorityClaimTypes.Namespace, ns);
            Add(TokenAuthorityClaimTypes.ServiceAccountName, name);
        }

        var groups = user.Groups ?? [];
        foreach (var group in groups)
        {
            Add(TokenAuthorityClaimTypes.Group, group);
        }

        if (!groups.Contains(UserInfoFactory.AuthenticatedGroup, StringComparer.Ordinal))
        {
            Add(TokenAuthorityClaimTypes.Group, UserInfoFactory.AuthenticatedGroup);
        }

        foreach (var (key, values) in user.Extra ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            // An extra key never stands in for a claim this factory sets itself.
            if (Reserved.Contains(key))
            {
                continue;
            }

            foreach (var value in values ?? [])
            {
                Add(key, value);
            }
        }

        foreach (var audience in result.Audiences)
        {
            Add(TokenAuthorityClaimTypes.Audience, audience);
        }

        Add(TokenAuthorityClaimTypes.BoundObjectKind, BoundKind(result.Claims, user));
        var identity = new ClaimsIdentity(claims, authenticationType, TokenAuthorityClaimTypes.Username, TokenAuthorityClaimTypes.Group);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Splits <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>; false for any other username.</summary>
    public static bool TryParseServiceAccount(string? username, out string @namespace, out string name)
    {
        @namespace = name = string.Empty;
        if (username is null || !username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = username[ServiceAccountPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        (@namespace, name) = (parts[0], parts[1]);
        return true;
    }

    /// <summary>The bound kind from the verified claims; from the extra values when only a user is known (TokenReview).</summary>
    internal static string? BoundKind(ServiceAccountTokenClaims? claims, UserInfo user)
    {
        if (claims is not null)
        {
            return claims.BoundObject?.Kind;
        }

        var extra = user.Extra;
        return extra is null ? null
            : extra.ContainsKey(UserInfoFactory.PodNameExtra) ? BoundObjectKinds.Pod
            : extra.ContainsKey(UserInfoFactory.NodeNameExtra) ? BoundObjectKinds.Node
            : null;
    }
}
