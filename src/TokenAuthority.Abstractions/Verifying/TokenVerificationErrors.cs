using TokenAuthority.Errors;

namespace TokenAuthority.Verifying;

/// <summary>
/// The texts of refused tokens (the Kubernetes service-account authenticator's, spec §3.1) and the failure each one
/// means, in one table: the verifier writes its texts with these members, and a TokenReview client reads a
/// <c>status.error</c> back into a <see cref="TokenVerificationFailure"/> with <see cref="Classify"/>. The table also knows
/// the texts kube-apiserver and earlier versions of this authority send (which name the live uid, or the failed lookup).
/// </summary>
internal static class TokenVerificationErrors
{
    /// <summary>No key has the token's <c>kid</c>.</summary>
    public const string NoKeysFound = "invalid signature, no keys found";

    /// <summary>go-jose's error for a signature that does not verify (or an algorithm the key does not fix).</summary>
    public const string CryptoError = "go-jose/go-jose: error in cryptographic primitive";

    /// <summary>The signed payload does not decode into the claims Kubernetes reads.</summary>
    public const string UndecodableClaims = "service account token claims could not be validated due to unexpected private claim";

    /// <summary>Before <c>nbf</c> − 60 s.</summary>
    public const string NotYetValid = "service account token is not valid yet";

    /// <summary>After <c>exp</c> + 60 s.</summary>
    public const string Expired = "service account token has expired";

    /// <summary><c>iat</c> more than 60 s ahead.</summary>
    public const string IssuedInFuture = "service account token is issued in the future";

    /// <summary>The bound object is missing, or was deleted more than 60 s ago.</summary>
    public const string Invalidated = "service account token has been invalidated";

    /// <summary>A lookup failed or timed out: the token is refused (fail closed); which lookup goes to the log only.</summary>
    public const string ResolverUnavailable = "service account token could not be validated";

    private static readonly TokenVerificationErrorTemplate UnknownBindingText =
        new(TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (", ")");

    private static readonly TokenVerificationErrorTemplate InvalidIssuerText = new(TokenVerificationFailure.InvalidIssuer, "token issuer ", " is invalid");

    private static readonly TokenVerificationErrorTemplate InvalidAudienceText =
        new(TokenVerificationFailure.InvalidAudience, "token audiences ", " is invalid for the target audiences ", string.Empty);

    private static readonly TokenVerificationErrorTemplate ServiceAccountNotFoundText = new(TokenVerificationFailure.ServiceAccountNotFound, "serviceaccounts ", " not found");

    private static readonly TokenVerificationErrorTemplate ServiceAccountUidMismatchText =
        new(TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID does not match claim (", ")");

    private static readonly TokenVerificationErrorTemplate ServiceAccountDeletedText =
        new(TokenVerificationFailure.ServiceAccountDeleted, "service account ", "/", " has been deleted");

    private static readonly TokenVerificationErrorTemplate BoundObjectUidMismatchText =
        new(TokenVerificationFailure.BoundObjectUidMismatch, string.Empty, " UID does not match service account ", " ref claim (", ")");

    /// <summary>Every text, first match wins: this authority's own, then those only other authorities send.</summary>
    private static readonly TokenVerificationErrorTemplate[] Table =
    [
        new(TokenVerificationFailure.InvalidSignature, NoKeysFound),
        new(TokenVerificationFailure.InvalidSignature, CryptoError),
        new(TokenVerificationFailure.InvalidSignature, UndecodableClaims),
        UnknownBindingText,
        InvalidIssuerText,
        InvalidAudienceText,
        new(TokenVerificationFailure.NotYetValid, NotYetValid),
        new(TokenVerificationFailure.Expired, Expired),
        new(TokenVerificationFailure.IssuedInFuture, IssuedInFuture),
        new(TokenVerificationFailure.BoundObjectInvalidated, Invalidated),
        new(TokenVerificationFailure.ResolverUnavailable, ResolverUnavailable),
        ServiceAccountNotFoundText,
        ServiceAccountUidMismatchText,
        ServiceAccountDeletedText,
        BoundObjectUidMismatchText,

        // kube-apiserver's texts name the live uid; older go-jose builds said square/go-jose; earlier versions of this
        // authority named the failed lookup after a colon.
        new(TokenVerificationFailure.InvalidSignature, string.Empty, "error in cryptographic primitive"),
        new(TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID (", ") does not match claim (", ")"),
        new(TokenVerificationFailure.BoundObjectUidMismatch, string.Empty, " UID (", ") does not match service account ", " ref claim (", ")"),
        new(TokenVerificationFailure.ResolverUnavailable, ResolverUnavailable + ":", string.Empty),
    ];

    /// <summary>The token names a binding no built-in or registered kind explains.</summary>
    /// <param name="claimName">The member of the <c>kubernetes.io</c> claim.</param>
    /// <returns>The text.</returns>
    public static string UnknownBinding(string claimName) => UnknownBindingText.Format(GoQuote.Quote(claimName));

    /// <summary>The verified issuer is not accepted.</summary>
    /// <param name="issuer">The token's <c>iss</c>.</param>
    /// <returns>The text.</returns>
    public static string InvalidIssuer(string issuer) => InvalidIssuerText.Format(GoQuote.Quote(issuer));

    /// <summary>No audience of the token is among the requested ones.</summary>
    /// <param name="tokenAudiences">The token's audiences (the API audiences for a legacy token).</param>
    /// <param name="requested">The requested audiences.</param>
    /// <returns>The text, lists printed as Go prints <c>%q</c> of a slice.</returns>
    public static string InvalidAudience(IEnumerable<string> tokenAudiences, IEnumerable<string> requested) =>
        InvalidAudienceText.Format(GoQuote.QuoteList(tokenAudiences), GoQuote.QuoteList(requested));

    /// <summary>The service account does not exist.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The text.</returns>
    public static string ServiceAccountNotFound(string name) => ServiceAccountNotFoundText.Format(GoQuote.Quote(name));

    /// <summary>The service account was recreated; the text names only the token's uid, never the live one.</summary>
    /// <param name="claimUid">The uid in the token.</param>
    /// <returns>The text.</returns>
    public static string ServiceAccountUidMismatch(string claimUid) => ServiceAccountUidMismatchText.Format(claimUid);

    /// <summary>The service account was deleted more than 60 s ago.</summary>
    /// <param name="namespace">Its namespace.</param>
    /// <param name="name">Its name.</param>
    /// <returns>The text.</returns>
    public static string ServiceAccountDeleted(string @namespace, string name) => ServiceAccountDeletedText.Format(@namespace, name);

    /// <summary>The bound object was recreated; the text names only the token's uid, never the live one.</summary>
    /// <param name="label">The binding's claim name, e.g. <c>pod</c>.</param>
    /// <param name="claimUid">The uid in the token.</param>
    /// <returns>The text.</returns>
    public static string BoundObjectUidMismatch(string label, string claimUid) => BoundObjectUidMismatchText.Format(label, label, claimUid);

    /// <summary>
    /// The failure a text means: any text above, this authority's or kube-apiserver's (without the
    /// <c>[invalid bearer token, …]</c> wrapping). <see cref="TokenVerificationFailure.NotRecognized"/> for a text it does not know.
    /// </summary>
    /// <param name="error">The error text.</param>
    /// <returns>The failure.</returns>
    public static TokenVerificationFailure Classify(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var row in Table)
        {
            if (row.Matches(error))
            {
                return row.Failure;
            }
        }

        return TokenVerificationFailure.NotRecognized;
    }
}
