using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>Reads a TokenReview <c>status.error</c> back into a verification result (spec §3.3).</summary>
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
        return new TokenVerificationResult { Outcome = TokenVerificationOutcome.Rejected, Failure = Classify(inner), Error = inner };
    }

    /// <summary>A token that is not this authority's: what the authority answers for one (<c>invalid bearer token</c>).</summary>
    public static TokenVerificationResult NotRecognized() => new()
    {
        Outcome = TokenVerificationOutcome.NotRecognized,
        Failure = TokenVerificationFailure.NotRecognized,
    };

    public static TokenVerificationResult UnavailableResult() => new()
    {
        Outcome = TokenVerificationOutcome.Rejected,
        Failure = TokenVerificationFailure.ResolverUnavailable,
        Error = Unavailable,
    };

    /// <summary>The failure for a Kubernetes error text; <see cref="TokenVerificationFailure.NotRecognized"/> for texts it does not know.</summary>
    public static TokenVerificationFailure Classify(string error) => error switch
    {
        "service account token has expired" => TokenVerificationFailure.Expired,
        "service account token is not valid yet" => TokenVerificationFailure.NotYetValid,
        "service account token is issued in the future" => TokenVerificationFailure.IssuedInFuture,
        "service account token has been invalidated" => TokenVerificationFailure.BoundObjectInvalidated,
        "invalid signature, no keys found" => TokenVerificationFailure.InvalidSignature,
        _ when error.EndsWith("error in cryptographic primitive", StringComparison.Ordinal) => TokenVerificationFailure.InvalidSignature,
        _ when error.StartsWith("token audiences ", StringComparison.Ordinal) => TokenVerificationFailure.InvalidAudience,
        _ when error.StartsWith("token issuer ", StringComparison.Ordinal) => TokenVerificationFailure.InvalidIssuer,
        _ when error.StartsWith("service account UID ", StringComparison.Ordinal) => TokenVerificationFailure.ServiceAccountUidMismatch,
        _ when error.StartsWith("serviceaccounts \"", StringComparison.Ordinal) && error.EndsWith(" not found", StringComparison.Ordinal) => TokenVerificationFailure.ServiceAccountNotFound,
        _ when error.StartsWith("service account ", StringComparison.Ordinal) && error.EndsWith(" has been deleted", StringComparison.Ordinal) => TokenVerificationFailure.ServiceAccountDeleted,
        _ when error.Contains(" does not match service account ", StringComparison.Ordinal) => TokenVerificationFailure.BoundObjectUidMismatch,
        "service account token claims could not be validated due to unexpected private claim" => TokenVerificationFailure.InvalidSignature,
        // Older authorities said which lookup failed, after a colon; the text no longer carries the resolver's state.
        _ when error == "service account token could not be validated"
            || error.StartsWith("service account token could not be validated:", StringComparison.Ordinal) => TokenVerificationFailure.ResolverUnavailable,
        _ when error.StartsWith("service account token is bound to an object this authority cannot check ", StringComparison.Ordinal) => TokenVerificationFailure.UnknownBinding,
        _ => TokenVerificationFailure.NotRecognized,
    };
}
