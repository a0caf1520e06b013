using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using TokenAuthority.Samples.BuildServer.Hosting;
using TokenAuthority.Samples.Shared;

namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;admin.token&gt;</c> as the user and role <c>admin</c>, who may create and
/// complete jobs and call TokenRequest and TokenReview. The presented token is hashed to a digest of fixed length and
/// compared with the admin token's digest with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither its
/// content nor its length leaks through timing. Challenges answer 401 with <c>WWW-Authenticate: Bearer</c> and no body of
/// their own: the app's endpoints then get a problem details body, TokenRequest and TokenReview the API server's <c>Status</c>.
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
        if (!CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(Options.Token))))
        {
            _requestLog.AdminTokenRefused(Scheme.Name, RequestLogValues.MethodOf(Request), RequestLogValues.PathOf(Request), RequestLogValues.ClientOf(Context));
            return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, AdminTokenAuthenticationDefaults.AdminUserName), new Claim(ClaimTypes.Role, AdminTokenAuthenticationDefaults.AdminRole)],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
