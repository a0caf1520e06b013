using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// The last line of defence of TokenRequest and TokenReview, run before their handlers: a request is served only when
/// the endpoint explicitly allows anonymous callers (<see cref="IAllowAnonymous"/>) or the authorization middleware
/// authorized it for this endpoint (<see cref="TokenAuthorityAuthorizationFeature"/>). Anything else (no
/// <c>UseAuthorization()</c>, metadata nobody enforces, a fallback policy nobody applies) is refused with the API
/// server's 401 or 403, never served: the start-up check should have made that impossible, so it is logged as an error.
/// </summary>
internal sealed class TokenAuthorityEndpointGuard(ILogger logger)
{
    /// <summary>Wraps an endpoint's handler.</summary>
    /// <param name="kind">The endpoint (<see cref="TokenAuthorityEndpointMetadata.TokenRequestKind"/> or <see cref="TokenAuthorityEndpointMetadata.TokenReviewKind"/>).</param>
    /// <param name="handler">The handler to protect.</param>
    public RequestDelegate Protect(string kind, RequestDelegate handler) => context =>
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null
            && (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || ReferenceEquals(context.Features.Get<TokenAuthorityAuthorizationFeature>()?.Endpoint, endpoint)))
        {
            return handler(context);
        }

        return RefuseAsync(context, kind);
    };

    private Task RefuseAsync(HttpContext context, string kind)
    {
        logger.RequestNotAuthorized(kind);
        var user = KubernetesHttpErrors.UserName(context.User);
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        return KubernetesResponseWriter.WriteErrorAsync(context, KubernetesHttpErrors.Denied(context, kind, user, challenged: !authenticated));
    }
}
