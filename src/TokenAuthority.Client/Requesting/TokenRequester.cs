using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>Creates an <see cref="ITokenRequester"/> from a delegate, for example over the in-process issuer.</summary>
/// <example>
/// The in-process issuer of the <c>TokenAuthority</c> package, without a dependency of this package on it:
/// <code>
/// builder.UseRequester(sp => TokenRequester.Create(async (ns, name, spec, ct) =>
/// {
///     var result = await sp.GetRequiredService&lt;ITokenIssuer&gt;().CreateTokenAsync(ns, name, new TokenRequest { Spec = spec }, ct);
///     return result.Succeeded ? result.Response : throw new TokenRequestException(ns, name, result.Error.ToStatus());
/// }));
/// </code>
/// </example>
public static class TokenRequester
{
    /// <summary>Wraps <paramref name="request"/> as an <see cref="ITokenRequester"/>.</summary>
    /// <param name="request">Requests a token: namespace, name, spec, cancellation.</param>
    /// <returns>The requester.</returns>
    public static ITokenRequester Create(Func<string, string, TokenRequestSpec, CancellationToken, ValueTask<TokenRequest>> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DelegateTokenRequester(request);
    }

    private sealed class DelegateTokenRequester(Func<string, string, TokenRequestSpec, CancellationToken, ValueTask<TokenRequest>> request) : ITokenRequester
    {
        public ValueTask<TokenRequest> RequestTokenAsync(string namespaceName, string name, TokenRequestSpec spec, CancellationToken cancellationToken = default)
            => request(namespaceName, name, spec, cancellationToken);
    }
}
