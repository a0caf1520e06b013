using TokenAuthority.Claims;
using TokenAuthority.Identity;
using TokenAuthority.Model;

namespace TokenAuthority.Verifying;

/// <summary>The result of verifying a token; expected failures are results, not exceptions.</summary>
public sealed record TokenVerificationResult
{
    /// <summary>The TokenReview error for a token nobody recognised.</summary>
    public const string InvalidBearerToken = "invalid bearer token";

    /// <summary>Authenticated, rejected or not recognised.</summary>
    public required TokenVerificationOutcome Outcome { get; init; }

    /// <summary>Why it was refused; <see cref="TokenVerificationFailure.None"/> on success.</summary>
    public TokenVerificationFailure Failure { get; init; }

    /// <summary>
    /// The Kubernetes error text (e.g. <c>service account token has expired</c>); null on success and when not recognised.
    /// Safe to send to the caller: it never carries another object's live uid or the resolver's state (those go to the log).
    /// </summary>
    public string? Error { get; init; }

    /// <summary>What the log says beyond <see cref="Error"/> (a live uid, which lookup failed); never sent to the caller.</summary>
    internal string? LogDetail { get; init; }

    /// <summary>
    /// Who called, on success: the service account, groups, extras, bound object, node, credential id and accepted
    /// audiences. The same model whether the token was verified here, by a TokenReview or by the JwtBearer helper.
    /// </summary>
    public ServiceAccountIdentity? Identity { get; init; }

    /// <summary>
    /// The user on success, as TokenReview's <c>status.user</c> reports it (username, uid, groups with
    /// <c>system:authenticated</c>, extra): <see cref="ServiceAccountIdentity.ToUserInfo"/> of <see cref="Identity"/>.
    /// </summary>
    public UserInfo? User => Identity?.ToUserInfo();

    /// <summary>The token's audiences that were accepted, ordered like the accepted list.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>The verified claims (set once the signature has verified).</summary>
    public ServiceAccountTokenClaims? Claims { get; init; }

    /// <summary>Whether an extended token was used after its <c>warnafter</c> time (it is still valid).</summary>
    public bool IsStale { get; init; }

    /// <summary>Whether the token authenticated.</summary>
    public bool Succeeded => Outcome == TokenVerificationOutcome.Authenticated;

    /// <summary>
    /// The error as the API server's TokenReview reports it: <c>invalid bearer token</c> when not recognised,
    /// <c>[invalid bearer token, &lt;error&gt;]</c> when rejected, null on success.
    /// </summary>
    public string? ReviewError => Outcome switch
    {
        TokenVerificationOutcome.Authenticated => null,
        TokenVerificationOutcome.NotRecognized => InvalidBearerToken,
        _ => $"[{InvalidBearerToken}, {Error}]",
    };

    internal static TokenVerificationResult NotRecognized { get; } = new()
    {
        Outcome = TokenVerificationOutcome.NotRecognized,
        Failure = TokenVerificationFailure.NotRecognized,
    };

    internal static TokenVerificationResult Reject(TokenVerificationFailure failure, string error, ServiceAccountTokenClaims? claims = null, string? logDetail = null) => new()
    {
        Outcome = TokenVerificationOutcome.Rejected,
        Failure = failure,
        Error = error,
        Claims = claims,
        LogDetail = logDetail,
    };
}
