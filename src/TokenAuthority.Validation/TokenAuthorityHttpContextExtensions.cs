using Microsoft.AspNetCore.Http;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>Typed access to the token verification of the current request.</summary>
public static class TokenAuthorityHttpContextExtensions
{
    /// <summary>
    /// The result of verifying the request's bearer token by the TokenAuthority or TokenReview scheme or the JwtBearer
    /// helper (after authentication ran), or null when no token was verified: on success the caller's
    /// <see cref="TokenVerificationResult.Identity"/>, otherwise the <see cref="TokenVerificationResult.Failure"/>. For the
    /// JwtBearer helper the failure is read from IdentityModel's exception (its message is the error) and
    /// <see cref="TokenVerificationResult.IsStale"/> is never set.
    /// </summary>
    public static TokenVerificationResult? GetTokenVerificationResult(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<TokenVerificationResultFeature>()?.Result;
    }

    internal static void SetTokenVerificationResult(this HttpContext context, TokenVerificationResult result) =>
        context.Features.Set(new TokenVerificationResultFeature(result));
}
