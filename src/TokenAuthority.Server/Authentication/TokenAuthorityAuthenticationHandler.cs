using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Verifying;
using TokenAuthority.Validation;

namespace TokenAuthority.Server;

/// <summary>Verifies bearer tokens in-process through the core <see cref="ITokenVerifier"/> (bound objects checked on every request).</summary>
internal sealed class TokenAuthorityAuthenticationHandler(
    IOptionsMonitor<TokenAuthorityAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ITokenVerifier verifier,
    TokenAuthorityAuthenticationMetrics metrics)
    : BearerTokenAuthenticationHandler<TokenAuthorityAuthenticationOptions>(options, loggerFactory, encoder, metrics)
{
    // The options' list is a List<string>, already an IReadOnlyList: no copy per request.
    protected override ValueTask<TokenVerificationResult> VerifyAsync(string token, CancellationToken cancellationToken) =>
        verifier.VerifyAsync(token, Options.Audiences as IReadOnlyList<string> ?? [.. Options.Audiences], cancellationToken);

    protected override string IssuerOf(TokenVerificationResult result) => result.Claims?.Issuer ?? Options.ClaimsIssuer ?? Scheme.Name;
}
