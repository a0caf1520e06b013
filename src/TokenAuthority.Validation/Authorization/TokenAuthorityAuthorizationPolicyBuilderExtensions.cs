using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using TokenAuthority.Validation;
using TokenAuthority.Model;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Policy requirements on callers authenticated with a bound service-account token. In
/// <c>Microsoft.AspNetCore.Builder</c> (an implicit using of web projects) beside the endpoint conventions
/// of the same names, so that <c>p =&gt; p.RequireNamespace("ns")</c> needs no extra using.
/// </summary>
public static class TokenAuthorityAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires the caller to be the service account <paramref name="name"/> in <paramref name="namespace"/>: both the
    /// namespace and the name claim must match (never the joined username, which a ':' could make ambiguous).
    /// </summary>
    /// <exception cref="ArgumentException">The namespace is not a DNS-1123 label or the name not a DNS-1123 subdomain.</exception>
    public static AuthorizationPolicyBuilder RequireServiceAccount(this AuthorizationPolicyBuilder builder, string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ThrowIfNotNamespace(@namespace);
        if (!KubernetesNames.IsSubdomain(name))
        {
            throw new ArgumentException($"\"{name}\" is not a Kubernetes service account name (a DNS-1123 subdomain); no token can name it.", nameof(name));
        }

        // The namespace and name claims, not the joined username: those cannot be confused by a ':' in either part.
        return builder.RequireAuthenticatedUser()
            .RequireClaim(TokenAuthorityClaimTypes.Namespace, @namespace)
            .RequireClaim(TokenAuthorityClaimTypes.ServiceAccountName, name);
    }

    /// <summary>Requires the caller to be a service account of <paramref name="namespace"/>.</summary>
    /// <exception cref="ArgumentException">The namespace is not a DNS-1123 label.</exception>
    public static AuthorizationPolicyBuilder RequireNamespace(this AuthorizationPolicyBuilder builder, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ThrowIfNotNamespace(@namespace);
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

    private static void ThrowIfNotNamespace(string @namespace, [CallerArgumentExpression(nameof(@namespace))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace, parameter);
        if (!KubernetesNames.IsLabel(@namespace))
        {
            throw new ArgumentException($"\"{@namespace}\" is not a Kubernetes namespace (a DNS-1123 label); no token can name it.", parameter);
        }
    }
}
