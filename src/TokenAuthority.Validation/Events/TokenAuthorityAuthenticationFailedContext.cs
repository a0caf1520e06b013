using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>The context of <see cref="TokenAuthorityAuthenticationEvents.OnAuthenticationFailed"/>.</summary>
public sealed class TokenAuthorityAuthenticationFailedContext : ResultContext<TokenAuthorityAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public TokenAuthorityAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, TokenAuthorityAuthenticationOptions options, Exception exception, TokenVerificationResult? verificationResult)
        : base(context, scheme, options)
    {
        Exception = exception;
        VerificationResult = verificationResult;
    }

    /// <summary>Why authentication failed; a <see cref="TokenAuthorityAuthenticationException"/> for refused tokens.</summary>
    public Exception Exception { get; set; }

    /// <summary>The verification result, when verification ran.</summary>
    public TokenVerificationResult? VerificationResult { get; }
}
