using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TokenAuthority.Errors;
using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Shared;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the admin token (user and role <c>admin</c>) and
/// the reviewer token (user and role <c>token-reviewer</c>). The presented token is hashed to a digest of fixed
/// length and compared with the digest of each expected token, always both, with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the length of a token, nor which
/// one it matched, leaks through timing. Challenges and objects-API denials answer with a Kubernetes <c>Status</c>;
/// a denied TokenRequest or TokenReview is left to <c>AddTokenAuthorityEndpoints()</c>, which words it for that endpoint.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AdminTokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<AdminTokenAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    // The one line per refused token goes where the library's schemes write theirs, apart from the base handler's chatter.
    private readonly ILogger _requestLog = logger.CreateLogger("TokenAuthority.Authentication");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(BearerPrefix.Length).Trim().ToString()));
        var isAdmin = CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(Options.Token)));
        var isReviewer = CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(Options.ReviewerToken)));
        var (user, role) = (isAdmin, isReviewer) switch
        {
            (true, false) => (AdminTokenAuthenticationDefaults.AdminUserName, AdminTokenAuthenticationDefaults.AdminRole),
            (false, true) => (AdminTokenAuthenticationDefaults.ReviewerUserName, AdminTokenAuthenticationDefaults.ReviewerRole),
            _ => (null, null), // no match (the options refuse equal tokens, so never both)
        };
        if (user is null)
        {
            _requestLog.AdminTokenRefused(Scheme.Name, RequestLogValues.MethodOf(Request), RequestLogValues.PathOf(Request), RequestLogValues.ClientOf(Context));
            return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role!)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.HasStarted ? Task.CompletedTask : KubernetesResults.WriteAsync(Response, KubernetesError.Unauthorized());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => ObjectsApiForbidden.WriteAsync(Context);
}
