using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Server.Http;

/// <summary>
/// <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>: verifies <c>spec.token</c> through
/// <see cref="ITokenVerifier"/> and echoes the request with its status, as kube-apiserver does. A dry run
/// is answered normally (a review changes nothing).
/// </summary>
internal sealed class TokenReviewEndpoint(ITokenVerifier verifier, TokenAuthorityEndpointOptions options, ILogger logger)
{
    /// <summary>The route pattern: the path the TokenReview authentication scheme posts to.</summary>
    public const string Pattern = TokenReviewAuthenticationDefaults.TokenReviewPath;

    /// <summary>kube-apiserver's answer to a review without a token.</summary>
    public const string TokenRequiredMessage = "token is required for TokenReview in authentication";

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            var (review, readError) = await KubernetesRequestReader.ReadCreateAsync<TokenReview>(context, options.MaxRequestBodySize, KubernetesRequestReader.DecodeTokenReview).ConfigureAwait(false);
            if (readError is not null)
            {
                await RejectAsync(context, readError).ConfigureAwait(false);
                return;
            }

            if (string.IsNullOrEmpty(review!.Spec.Token))
            {
                await RejectAsync(context, KubernetesError.BadRequest(TokenRequiredMessage)).ConfigureAwait(false);
                return;
            }

            var audiences = review.Spec.Audiences is { Count: > 0 } requested ? requested : null;
            var result = await verifier.VerifyAsync(review.Spec.Token, audiences, ct).ConfigureAwait(false);
            // The user kube-apiserver reports (system:authenticated included), plus our bound-object extras where it reports none.
            var status = result.Succeeded && result.Identity is { } identity
                ? new TokenReviewStatus
                {
                    Authenticated = true,
                    User = identity.ToUserInfo(),
                    Audiences = result.Audiences.Count > 0 ? result.Audiences : null,
                }
                : new TokenReviewStatus { Error = result.ReviewError ?? TokenVerificationResult.InvalidBearerToken };
            logger.TokenReviewed(status.User.Username ?? string.Empty, status.Authenticated);

            var response = new TokenReview
            {
                // Echo the request like kube-apiserver; a cluster-scoped object has no namespace and the server owns creationTimestamp.
                Metadata = new ObjectMeta { Name = review.Metadata.Name, Uid = review.Metadata.Uid },
                Spec = new TokenReviewSpec { Token = review.Spec.Token, Audiences = audiences },
                Status = status,
            };
            await KubernetesResponseWriter.WriteAsync(context, StatusCodes.Status201Created, response, KubernetesJsonContext.Default.TokenReview).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.RequestFailed(e, TokenAuthorityEndpointMetadata.TokenReviewKind);
            await KubernetesResponseWriter.WriteErrorAsync(context, KubernetesHttpErrors.Unexpected()).ConfigureAwait(false);
        }
    }

    private Task RejectAsync(HttpContext context, KubernetesError error)
    {
        logger.RequestRejected(TokenAuthorityEndpointMetadata.TokenReviewKind, error.Code, error.Reason, error.Message);
        return KubernetesResponseWriter.WriteErrorAsync(context, error);
    }
}
