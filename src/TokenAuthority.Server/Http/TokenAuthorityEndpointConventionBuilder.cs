using Microsoft.AspNetCore.Builder;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Returned by <c>MapTokenAuthority()</c>. Conventions added here (for example
/// <c>.RequireAuthorization("admin")</c> or <c>.RequireRateLimiting(...)</c>) apply to the TokenRequest and
/// TokenReview endpoints only; OIDC discovery, the JWKS and the kubectl discovery documents stay anonymous.
/// To authorize the two endpoints differently (least privilege: a service that only reviews tokens must not be
/// able to mint them), add conventions to <see cref="TokenRequest"/> and <see cref="TokenReview"/> instead:
/// <code>
/// var api = app.MapTokenAuthority();
/// api.TokenRequest.RequireAuthorization("admin");
/// api.TokenReview.RequireAuthorization("token-reviewer");
/// </code>
/// Each of the two endpoints must end up with authorization (here, on a route group, or through a fallback policy) or an
/// explicit <c>.AllowAnonymous()</c>; otherwise the app fails to start.
/// </summary>
public sealed class TokenAuthorityEndpointConventionBuilder : IEndpointConventionBuilder
{
    internal TokenAuthorityEndpointConventionBuilder(IEndpointConventionBuilder tokenRequest, IEndpointConventionBuilder tokenReview)
    {
        TokenRequest = tokenRequest;
        TokenReview = tokenReview;
    }

    /// <summary>
    /// The TokenRequest endpoint alone (<c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c>,
    /// Kubernetes' <c>create serviceaccounts/token</c>). Conventions added here apply to no other endpoint.
    /// </summary>
    public IEndpointConventionBuilder TokenRequest { get; }

    /// <summary>
    /// The TokenReview endpoint alone (<c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>, Kubernetes'
    /// <c>create tokenreviews</c>). Conventions added here apply to no other endpoint.
    /// </summary>
    public IEndpointConventionBuilder TokenReview { get; }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        TokenRequest.Add(convention);
        TokenReview.Add(convention);
    }

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        TokenRequest.Finally(finallyConvention);
        TokenReview.Finally(finallyConvention);
    }
}
