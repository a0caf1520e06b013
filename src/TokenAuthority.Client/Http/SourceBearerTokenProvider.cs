
namespace TokenAuthority.Client;

/// <summary>Tokens for one client from the token source.</summary>
internal sealed class SourceBearerTokenProvider(IServiceAccountTokenSource source, ServiceAccountTokenRequest request) : IBearerTokenProvider
{
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
        => (await source.GetTokenAsync(request, cancellationToken).ConfigureAwait(false)).Value;

    public async ValueTask<string> RefreshTokenAsync(string rejectedToken, CancellationToken cancellationToken)
        => (await source.RefreshTokenAsync(request, rejectedToken, cancellationToken).ConfigureAwait(false)).Value;
}
