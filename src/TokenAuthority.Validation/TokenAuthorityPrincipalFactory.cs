using System.Security.Claims;
using TokenAuthority.Identity;

namespace TokenAuthority.Validation;

/// <summary>
/// The one principal builder: turns a <see cref="ServiceAccountIdentity"/> into a <see cref="ClaimsPrincipal"/> with the
/// <see cref="TokenAuthorityClaimTypes"/>, whichever path verified the token (the TokenAuthority scheme, the TokenReview
/// scheme or the JwtBearer helper), so that claims, <c>IsInRole</c> and the authorization helpers answer the same.
/// </summary>
internal static class TokenAuthorityPrincipalFactory
{
    /// <summary>
    /// Claim types this builder sets from the identity's members, which no extra may stand in for, and our bound-object
    /// extras, which the bound-object claims already carry.
    /// </summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        TokenAuthorityClaimTypes.Username,
        TokenAuthorityClaimTypes.Uid,
        TokenAuthorityClaimTypes.Group,
        TokenAuthorityClaimTypes.Audience,
        TokenAuthorityClaimTypes.Namespace,
        TokenAuthorityClaimTypes.ServiceAccountName,
        TokenAuthorityClaimTypes.BoundObjectKind,
        TokenAuthorityClaimTypes.BoundObjectName,
        TokenAuthorityClaimTypes.BoundObjectUid,
        ServiceAccountUserInfo.BoundObjectKindExtra,
        ServiceAccountUserInfo.BoundObjectNameExtra,
        ServiceAccountUserInfo.BoundObjectUidExtra,
    };

    public static ClaimsPrincipal Create(ServiceAccountIdentity identity, string authenticationType, string issuer)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // Each claim is made with the identity as its subject, so AddClaim keeps it instead of cloning it (a claim
        // handed to the ClaimsIdentity constructor is copied: two objects per claim on every request).
        var principalIdentity = new ClaimsIdentity(authenticationType, TokenAuthorityClaimTypes.Username, TokenAuthorityClaimTypes.Group);
        void Add(string type, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                principalIdentity.AddClaim(new Claim(type, value, ClaimValueTypes.String, issuer, issuer, principalIdentity));
            }
        }

        Add(TokenAuthorityClaimTypes.Username, identity.Username);
        Add(TokenAuthorityClaimTypes.Uid, identity.Uid);
        Add(TokenAuthorityClaimTypes.Namespace, identity.Namespace);
        Add(TokenAuthorityClaimTypes.ServiceAccountName, identity.Name);
        foreach (var group in identity.Groups)
        {
            Add(TokenAuthorityClaimTypes.Group, group);
        }

        foreach (var audience in identity.Audiences)
        {
            Add(TokenAuthorityClaimTypes.Audience, audience);
        }

        if (identity.BoundObject is { } bound)
        {
            Add(TokenAuthorityClaimTypes.BoundObjectKind, bound.Kind);
            Add(TokenAuthorityClaimTypes.BoundObjectName, bound.Name);
            Add(TokenAuthorityClaimTypes.BoundObjectUid, bound.Uid);
        }

        // The extras keep their keys as claim types: Kubernetes' pod, node and credential-id keys (TokenAuthorityClaimTypes.PodName,
        // NodeName, CredentialId, ...), and whatever else a remote authority reported.
        foreach (var (key, values) in identity.Extra)
        {
            if (Reserved.Contains(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                Add(key, value);
            }
        }

        return new ClaimsPrincipal(principalIdentity);
    }
}
