using Microsoft.AspNetCore.Http;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>Typed access to the token verification of the current request.</summary>
public static class TokenAuthorityHttpContextExtensions
{
    /// <summary>
    /// The result of verifying the request's bearer token by the TokenAuthority or TokenReview scheme
    /// (after authentication ran), or null when no token was verified.
    /// </summary>
    public static TokenVerificationResult? GetTokenVerificationResult(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<TokenVerificationResultFeature>()?.Result;
    }

    internal static void SetTokenVerificationResult(this HttpContext context, TokenVerificationResult result) =>
        context.Features.Set(new TokenVerificationResultFeature(result));
}
