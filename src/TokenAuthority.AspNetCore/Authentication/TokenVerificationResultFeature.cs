using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>Holds the verification result of the request in <c>HttpContext.Features</c>.</summary>
internal sealed class TokenVerificationResultFeature(TokenVerificationResult result)
{
    public TokenVerificationResult Result { get; } = result;
}
