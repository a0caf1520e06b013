using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// Verifies bearer tokens by posting a TokenReview to the authority; positive answers are reused for
/// <see cref="TokenReviewAuthenticationOptions.CacheDuration"/> but never past the token's <c>exp</c> + 60 s,
/// negative answers and errors never are. Any error, refusal, redirect or timeout of the authority refuses the token
/// (fail closed). Only tokens that claim one of the expected issuers are sent; anything else is refused without a call.
/// </summary>
internal sealed class TokenReviewAuthenticationHandler(
    IOptionsMonitor<TokenReviewAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenAuthorityAuthenticationMetrics metrics)
    : BearerTokenAuthenticationHandler<TokenReviewAuthenticationOptions>(options, loggerFactory, encoder, metrics)
{
    /// <summary>The largest TokenReview answer read (1 MiB).</summary>
    internal const int MaxResponseBytes = 1024 * 1024;

    protected override async ValueTask<TokenVerificationResult> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        // Only a token that claims to be the authority's is sent to it: anything else would be refused there anyway,
        // would cost a call per request (refusals are not cached) and would hand someone else's credential to the authority.
        var unverified = UnverifiedToken.TryRead(token);
        if (unverified is null)
        {
            Logger.TokenNotSentForReview("it is not a compact JWS");
            return TokenReviewErrors.NotRecognized();
        }

        if (unverified.Issuer is not { } issuer || Options.ExpectedIssuers?.Contains(issuer) != true)
        {
            Logger.TokenNotSentForReview("its issuer is not one of the expected issuers");
            return TokenReviewErrors.NotRecognized();
        }

        var audiences = Options.Audiences.ToArray();
        var cache = Options.CacheDuration > TimeSpan.Zero ? Options.Cache : null;
        var asked = TimeProvider.GetUtcNow();
        string? key = null;
        if (cache is not null)
        {
            // The digest is only needed when answers are cached.
            key = TokenReviewCache.Key(token, audiences);
            var hit = cache.TryGet(key, out var cached);
            Metrics.CacheLookup(hit);
            if (hit)
            {
                Logger.TokenReviewCacheHit();
                return cached;
            }
        }

        var started = TimeProvider.GetTimestamp();
        var result = await ReviewAsync(token, audiences, cancellationToken).ConfigureAwait(false);
        Metrics.Reviewed(TimeProvider.GetElapsedTime(started), result.Failure);

        // The window counts from when the question was asked, so an answer never outlives it by the call's duration.
        // The answer carries no expiry, so the token's own exp caps it; the authority has just verified the
        // signature over this exact string, so its exp can be believed now.
        if (cache is not null && key is not null && result.Succeeded)
        {
            var now = TimeProvider.GetUtcNow();
            var expires = TokenReviewCache.EntryExpiry(asked, Options.CacheDuration, unverified.Expires, now);
            if (expires is { } until)
            {
                cache.Set(key, result, until);
            }
        }

        return result;
    }

    protected override string IssuerOf(TokenVerificationResult result) => Options.ClaimsIssuer ?? Options.Authority ?? Scheme.Name;

    private async Task<TokenVerificationResult> ReviewAsync(string token, string[] audiences, CancellationToken cancellationToken)
    {
        var endpoint = Options.Authority!.TrimEnd('/') + TokenReviewAuthenticationDefaults.TokenReviewPath;
        var review = new TokenReview { Spec = new TokenReviewSpec { Token = token, Audiences = audiences } };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(JsonSerializer.Serialize(review, KubernetesJsonContext.Default.TokenReview), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        byte[] body;
        HttpStatusCode status;
        try
        {
            var reviewerToken = Options.ReviewerTokenSource is { } source
                ? await source.GetAsync(TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                : null;
            if (reviewerToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewerToken);
            }

            var client = Options.Backchannel ?? throw new InvalidOperationException("The TokenReview backchannel was not created.");
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} did not answer within {Options.BackchannelTimeout}");
        }
#pragma warning disable CA1031 // Whatever goes wrong talking to the authority, the token is refused.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type and message only: a stack per request says nothing more while the authority is down.
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} failed: {LogText.Summary(ex)}");
        }

        if (status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} answered {(int)status}");
        }

        TokenReview? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, KubernetesJsonContext.Default.TokenReview);
        }
        catch (JsonException ex)
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} sent an answer that is not a valid TokenReview: {LogText.Summary(ex)}");
        }

        if (answer is null || answer.Kind != TokenReview.KindName)
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} sent an answer that is not a valid TokenReview: not a TokenReview");
        }

        var reviewStatus = answer.Status;
        if (!reviewStatus.Authenticated)
        {
            return TokenReviewErrors.Refused(reviewStatus.Error);
        }

        // A positive answer must name audiences we asked for and a service account whose extras agree with each other
        // (the identity the authority built, rebuilt here); anything else is not trusted.
        var accepted = (reviewStatus.Audiences ?? []).Where(a => audiences.Contains(a, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        if (accepted.Length == 0)
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} sent an answer that is not a valid TokenReview: authenticated without an accepted audience");
        }

        if (!ServiceAccountIdentity.TryFromUserInfo(reviewStatus.User, accepted, out var identity))
        {
            return TokenReviewErrors.UnavailableResult($"TokenReview at {endpoint} sent an answer that is not a valid TokenReview: authenticated a user that is not a service account, or whose extras contradict each other");
        }

        return new TokenVerificationResult
        {
            Outcome = TokenVerificationOutcome.Authenticated,
            Identity = identity,
            Audiences = accepted,
        };
    }
}
