using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>
/// Asks a token authority for a service-account token: the one operation a token source needs, as
/// <c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c> performs it. The remote authority
/// (<c>TokenAuthorityClientBuilder.UseRemoteAuthority</c>) and an in-process issuer (<see cref="TokenRequester.Create"/> over a delegate) both satisfy it.
/// </summary>
public interface ITokenRequester
{
    /// <summary>Requests a token for the service account <paramref name="name"/> in <paramref name="namespaceName"/>.</summary>
    /// <param name="namespaceName">The service account's namespace.</param>
    /// <param name="name">The service account's name.</param>
    /// <param name="spec">Audiences, expiration and bound object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>
    /// The authority's TokenRequest: <c>status.token</c> and <c>status.expirationTimestamp</c>, and <c>metadata.uid</c>
    /// (the service account's uid, when the authority reports it).
    /// </returns>
    /// <exception cref="TokenRequestException">The authority refused the request or could not be reached.</exception>
    ValueTask<TokenRequest> RequestTokenAsync(string namespaceName, string name, TokenRequestSpec spec, CancellationToken cancellationToken = default);
}
