using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// <c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c>: parses the body, hands it to
/// <see cref="ITokenIssuer"/> and serialises the answer. A dry run (<c>dryRun=All</c>) is processed like any
/// other request, as kube-apiserver does: a token is not stored state, so there is nothing to skip.
/// </summary>
internal sealed class TokenRequestEndpoint(ITokenIssuer issuer, TokenAuthorityEndpointOptions options, TokenRequestRateLimiter rateLimiter, ILogger logger)
{
    /// <summary>The route pattern.</summary>
    public const string Pattern = "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token";

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var ns = context.GetRouteValue("namespace") as string ?? string.Empty;
        var name = context.GetRouteValue("name") as string ?? string.Empty;
        // Counted before the body is read: a signature is the expensive part, and a flood of any body is refused the same way.
        var caller = TokenRequestRateLimiter.Caller(context);
        if (rateLimiter.TryAcquire(caller) is { } retryAfter)
        {
            logger.TokenRequestRateLimited(caller, retryAfter);
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await KubernetesResponseWriter.WriteErrorAsync(context, KubernetesHttpErrors.TooManyRequests(retryAfter)).ConfigureAwait(false);
            return;
        }

        try
        {
            var (request, readError) = await KubernetesRequestReader.ReadCreateAsync<TokenRequest>(context, options.MaxRequestBodySize, KubernetesRequestReader.DecodeTokenRequest).ConfigureAwait(false);
            if (readError is not null)
            {
                await RejectAsync(context, readError).ConfigureAwait(false);
                return;
            }

            var result = await issuer.CreateTokenAsync(ns, name, request!, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                await KubernetesResponseWriter.WriteErrorAsync(context, result.Error).ConfigureAwait(false);
                return;
            }

            foreach (var warning in result.Warnings)
            {
                KubernetesResponseWriter.AddWarning(context.Response, warning);
            }

            await KubernetesResponseWriter.WriteAsync(context, StatusCodes.Status201Created, result.Response, KubernetesJsonContext.Default.TokenRequest).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.RequestFailed(e, TokenAuthorityEndpointMetadata.TokenRequestKind);
            await KubernetesResponseWriter.WriteErrorAsync(context, KubernetesHttpErrors.Unexpected()).ConfigureAwait(false);
        }
    }

    private Task RejectAsync(HttpContext context, TokenAuthority.Errors.KubernetesError error)
    {
        logger.RequestRejected(TokenAuthorityEndpointMetadata.TokenRequestKind, error.Code, error.Reason, error.Message);
        return KubernetesResponseWriter.WriteErrorAsync(context, error);
    }
}
