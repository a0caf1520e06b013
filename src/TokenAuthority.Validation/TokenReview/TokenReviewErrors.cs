using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// Reads a TokenReview <c>status.error</c> back into a verification result (spec §3.3): the text without its
/// <c>[invalid bearer token, …]</c> wrapping, its failure from <see cref="TokenVerificationErrors"/>, the table the verifier writes from.
/// </summary>
internal static class TokenReviewErrors
{
    private const string Prefix = "[" + TokenVerificationResult.InvalidBearerToken + ", ";

    /// <summary>The text shown when the authority could not give an answer.</summary>
    public const string Unavailable = "the bearer token could not be verified: the token review service is unavailable";

    public static TokenVerificationResult Refused(string? error)
    {
        if (string.IsNullOrEmpty(error) || error == TokenVerificationResult.InvalidBearerToken)
        {
            return NotRecognized();
        }

        var inner = error.StartsWith(Prefix, StringComparison.Ordinal) && error.EndsWith(']') ? error[Prefix.Length..^1] : error;
        return new TokenVerificationResult { Outcome = TokenVerificationOutcome.Rejected, Failure = TokenVerificationErrors.Classify(inner), Error = inner };
    }

    /// <summary>A token that is not this authority's: what the authority answers for one (<c>invalid bearer token</c>).</summary>
    public static TokenVerificationResult NotRecognized() => new()
    {
        Outcome = TokenVerificationOutcome.NotRecognized,
        Failure = TokenVerificationFailure.NotRecognized,
    };

    /// <summary>The authority gave no answer; <paramref name="logDetail"/> says why, in the log only.</summary>
    public static TokenVerificationResult UnavailableResult(string logDetail) => new()
    {
        Outcome = TokenVerificationOutcome.Rejected,
        Failure = TokenVerificationFailure.ResolverUnavailable,
        Error = Unavailable,
        LogDetail = Unavailable + ": " + logDetail,
    };
}
