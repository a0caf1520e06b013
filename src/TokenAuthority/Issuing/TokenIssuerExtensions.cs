using TokenAuthority.Model;

namespace TokenAuthority.Issuing;

/// <summary>Conveniences over <see cref="ITokenIssuer"/>.</summary>
public static class TokenIssuerExtensions
{
    /// <summary>
    /// Issues a token for a service account and returns its status (token and expiry).
    /// When <paramref name="uid"/> is given it must be the service account's uid (a recreated account is refused).
    /// </summary>
    /// <exception cref="TokenRequestException">The request was refused; <see cref="TokenRequestException.Error"/> has the Kubernetes error.</exception>
    public static async ValueTask<TokenRequestStatus> IssueAsync(
        this ITokenIssuer issuer,
        string namespaceName,
        string name,
        TokenRequestSpec spec,
        string? uid = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var request = new TokenRequest { Metadata = new ObjectMeta { Uid = uid }, Spec = spec ?? new TokenRequestSpec() };
        var result = await issuer.CreateTokenAsync(namespaceName, name, request, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Response.Status : throw new TokenRequestException(result.Error);
    }
}
