using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// The context of <see cref="TokenAuthorityAuthenticationEvents.OnTokenValidated"/>: the token verified and
/// <see cref="ResultContext{TOptions}.Principal"/> is built. Call <c>Fail</c> to reject it.
/// </summary>
public sealed class TokenAuthorityTokenValidatedContext : ResultContext<TokenAuthorityAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public TokenAuthorityTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, TokenAuthorityAuthenticationOptions options, TokenVerificationResult verificationResult)
        : base(context, scheme, options) => VerificationResult = verificationResult;

    /// <summary>The typed verification result (the caller's identity, audiences and, for local verification, the claims).</summary>
    public TokenVerificationResult VerificationResult { get; }
}
