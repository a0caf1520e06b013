using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>Holds the verification result of the request in <c>HttpContext.Features</c>.</summary>
internal sealed class TokenVerificationResultFeature(TokenVerificationResult result)
{
    public TokenVerificationResult Result { get; } = result;
}
