namespace TokenAuthority.Verifying;

/// <summary>
/// Verifies bound service-account tokens exactly as the Kubernetes service-account authenticator does.
/// The authentication handler, TokenReview and remote verification all go through this one path.
/// </summary>
public interface ITokenVerifier
{
    /// <summary>Verifies a token.</summary>
    /// <param name="token">The compact JWT.</param>
    /// <param name="audiences">The audiences the caller accepts; null or empty means the API audiences.</param>
    /// <param name="cancellationToken">Cancels resolver lookups.</param>
    /// <returns>Authenticated with the user, rejected with the Kubernetes error text, or not recognised.</returns>
    ValueTask<TokenVerificationResult> VerifyAsync(string token, IReadOnlyList<string>? audiences = null, CancellationToken cancellationToken = default);
}
