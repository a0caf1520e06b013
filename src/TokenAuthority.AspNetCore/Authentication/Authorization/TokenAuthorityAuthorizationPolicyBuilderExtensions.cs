using Microsoft.AspNetCore.Authorization;
using TokenAuthority.AspNetCore.Authentication;
using TokenAuthority.Verifying;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Policy requirements on callers authenticated with a bound service-account token. In
/// <c>Microsoft.AspNetCore.Builder</c> (an implicit using of web projects) beside the endpoint conventions
/// of the same names, so that <c>p =&gt; p.RequireNamespace("ns")</c> needs no extra using.
/// </summary>
public static class TokenAuthorityAuthorizationPolicyBuilderExtensions
{
    /// <summary>Requires the caller to be the service account <paramref name="name"/> in <paramref name="namespace"/>.</summary>
    public static AuthorizationPolicyBuilder RequireServiceAccount(this AuthorizationPolicyBuilder builder, string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.RequireAuthenticatedUser().RequireClaim(TokenAuthorityClaimTypes.Username, UserInfoFactory.Username(@namespace, name));
    }

    /// <summary>Requires the caller to be a service account of <paramref name="namespace"/>.</summary>
    public static AuthorizationPolicyBuilder RequireNamespace(this AuthorizationPolicyBuilder builder, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return builder.RequireAuthenticatedUser().RequireClaim(TokenAuthorityClaimTypes.Namespace, @namespace);
    }

    /// <summary>
    /// Requires the caller's token to be bound to an object of <paramref name="kind"/> (<c>Pod</c>, <c>Secret</c>,
    /// <c>Node</c> or a registered kind), so that it dies with that object.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireBoundObjectKind(this AuthorizationPolicyBuilder builder, string kind)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return builder.RequireAuthenticatedUser().RequireClaim(TokenAuthorityClaimTypes.BoundObjectKind, kind);
    }
}
