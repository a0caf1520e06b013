using Microsoft.AspNetCore.Builder;

namespace TokenAuthority.AspNetCore.Http;

/// <summary>
/// Returned by <c>MapTokenAuthority()</c>. Conventions added here (for example
/// <c>.RequireAuthorization("admin")</c> or <c>.RequireRateLimiting(...)</c>) apply to the TokenRequest and
/// TokenReview endpoints only; OIDC discovery, the JWKS and the kubectl discovery documents stay anonymous.
/// </summary>
public sealed class TokenAuthorityEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder[] _protectedEndpoints;

    internal TokenAuthorityEndpointConventionBuilder(params IEndpointConventionBuilder[] protectedEndpoints) =>
        _protectedEndpoints = protectedEndpoints;

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        foreach (var endpoint in _protectedEndpoints)
        {
            endpoint.Add(convention);
        }
    }

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        foreach (var endpoint in _protectedEndpoints)
        {
            endpoint.Finally(finallyConvention);
        }
    }
}
