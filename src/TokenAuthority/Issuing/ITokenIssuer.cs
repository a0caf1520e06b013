using TokenAuthority.Model;

namespace TokenAuthority.Issuing;

/// <summary>
/// Issues bound service-account tokens following the Kubernetes TokenRequest rules: defaulting,
/// validation, service-account and bound-object checks, expiration capping and extension.
/// </summary>
public interface ITokenIssuer
{
    /// <summary>
    /// Processes a TokenRequest for the service account <paramref name="name"/> in <paramref name="namespaceName"/>,
    /// as <c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c> does.
    /// </summary>
    /// <param name="namespaceName">The service account's namespace (from the URL).</param>
    /// <param name="name">The service account's name (from the URL).</param>
    /// <param name="request">The request body; its status is ignored.</param>
    /// <param name="cancellationToken">Cancels resolver lookups.</param>
    /// <returns>The TokenRequest to return (with <c>status.token</c>), or the Kubernetes error.</returns>
    ValueTask<TokenRequestResult> CreateTokenAsync(string namespaceName, string name, TokenRequest request, CancellationToken cancellationToken = default);
}
