using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Gives callers denied by the TokenRequest and TokenReview endpoints' authorization the API server's
/// <c>Status</c> bodies (401 <c>Unauthorized</c>; 403 with the authorizer's text, naming the user or
/// <c>system:anonymous</c>). The authentication schemes still challenge or forbid first (so
/// <c>WWW-Authenticate</c> is kept); every other endpoint goes to the wrapped handler untouched. A TokenRequest or
/// TokenReview request that passed is marked (<see cref="TokenAuthorityAuthorizationFeature"/>) for
/// <see cref="TokenAuthorityEndpointGuard"/>.
/// </summary>
internal sealed class TokenAuthorityAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner, ILogger<TokenAuthorityAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var endpoint = context.GetEndpoint();
        var metadata = endpoint?.Metadata.GetMetadata<TokenAuthorityEndpointMetadata>();
        if (metadata is not null && authorizeResult.Succeeded)
        {
            // The evidence TokenAuthorityEndpointGuard needs: a policy was evaluated for this very endpoint and passed.
            context.Features.Set(new TokenAuthorityAuthorizationFeature(endpoint!));
        }

        if (metadata is null || authorizeResult.Succeeded || !(authorizeResult.Challenged || authorizeResult.Forbidden))
        {
            await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        if (await HasSchemeAsync(context, policy, authorizeResult.Challenged).ConfigureAwait(false))
        {
            await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        }

        var response = context.Response;
        if (response.HasStarted || response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            return; // a scheme answered in its own way (a redirect, a body); leave it.
        }

        var user = KubernetesHttpErrors.UserName(context.User);
        var error = KubernetesHttpErrors.Denied(context, metadata.Kind, user, authorizeResult.Challenged);
        if (authorizeResult.Challenged)
        {
            logger.RequestDenied(metadata.Kind, user, error.Code);
        }
        else
        {
            logger.RequestForbidden(metadata.Kind, LogText.MethodOf(context.Request), LogText.PathOf(context.Request), LogText.ClientOf(context), LogText.Clean(error.Message));
        }

        await KubernetesResponseWriter.WriteErrorAsync(context, error).ConfigureAwait(false);
    }

    private static async Task<bool> HasSchemeAsync(HttpContext context, AuthorizationPolicy policy, bool challenge)
    {
        if (policy.AuthenticationSchemes.Count > 0)
        {
            return true;
        }

        var schemes = context.RequestServices.GetService<IAuthenticationSchemeProvider>();
        if (schemes is null)
        {
            return false;
        }

        var scheme = challenge
            ? await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false)
            : await schemes.GetDefaultForbidSchemeAsync().ConfigureAwait(false);
        return scheme is not null;
    }
}
