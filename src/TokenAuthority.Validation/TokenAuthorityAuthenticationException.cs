using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// Why a bearer token was refused, as reported in <c>AuthenticateResult.Failure</c> and in the
/// <c>error_description</c> of the challenge. Carries no token material.
/// </summary>
public sealed class TokenAuthorityAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">The verification failure.</param>
    /// <param name="message">The reason text (the Kubernetes error for rejected tokens).</param>
    public TokenAuthorityAuthenticationException(TokenVerificationFailure failure, string message)
        : base(message) => Failure = failure;

    /// <summary>Creates the exception with <see cref="TokenVerificationFailure.NotRecognized"/>.</summary>
    public TokenAuthorityAuthenticationException()
        : this(TokenVerificationFailure.NotRecognized, TokenVerificationResult.InvalidBearerToken)
    {
    }

    /// <summary>Creates the exception with <see cref="TokenVerificationFailure.NotRecognized"/>.</summary>
    public TokenAuthorityAuthenticationException(string message)
        : this(TokenVerificationFailure.NotRecognized, message)
    {
    }

    /// <summary>Creates the exception with <see cref="TokenVerificationFailure.NotRecognized"/>.</summary>
    public TokenAuthorityAuthenticationException(string message, Exception innerException)
        : base(message, innerException) => Failure = TokenVerificationFailure.NotRecognized;

    /// <summary>The verification failure (<see cref="TokenVerificationFailure.NotRecognized"/> for a missing or malformed token).</summary>
    public TokenVerificationFailure Failure { get; }
}
