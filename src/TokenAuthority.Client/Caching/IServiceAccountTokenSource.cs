namespace TokenAuthority.Client;

/// <summary>
/// Hands out service-account tokens from a cache refreshed in the background, by the kubelet's rule.
/// </summary>
public interface IServiceAccountTokenSource
{
    /// <summary>
    /// Returns a valid token for <paramref name="request"/>: the cached one while it is valid (never waiting for a refresh),
    /// otherwise a new one (concurrent callers share one TokenRequest).
    /// </summary>
    /// <param name="request">The account, audiences, lifetime and bound object.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (not a shared TokenRequest).</param>
    /// <returns>The token.</returns>
    /// <exception cref="TokenRequestException">No valid token is cached and the authority refused or could not be reached.</exception>
    ValueTask<ServiceAccountToken> GetTokenAsync(ServiceAccountTokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a token a callee rejected: when the cached token is still <paramref name="rejectedToken"/>, requests a new one
    /// (shared by concurrent callers); when it has already been replaced, returns the replacement.
    /// </summary>
    /// <param name="request">The account, audiences, lifetime and bound object.</param>
    /// <param name="rejectedToken">The token the callee rejected.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <returns>A token other than <paramref name="rejectedToken"/>, unless the authority returned the same.</returns>
    /// <exception cref="TokenRequestException">The authority refused or could not be reached.</exception>
    ValueTask<ServiceAccountToken> RefreshTokenAsync(ServiceAccountTokenRequest request, string rejectedToken, CancellationToken cancellationToken = default);

    /// <summary>Forgets every cached token of a service account (for example once it is known to be deleted or recreated).</summary>
    /// <param name="namespaceName">The service account's namespace.</param>
    /// <param name="name">The service account's name.</param>
    void Invalidate(string namespaceName, string name);
}
