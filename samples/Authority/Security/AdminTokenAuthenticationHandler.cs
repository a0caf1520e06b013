using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TokenAuthority.Errors;
using TokenAuthority.Samples.Authority.Hosting;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;admin token&gt;</c>. The presented and expected tokens are hashed
/// to equal-length digests and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither
/// the content nor the length of the token leaks through timing. Challenges and denials answer with a
/// Kubernetes <c>Status</c>.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AdminTokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<AdminTokenAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(BearerPrefix.Length).Trim().ToString()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(Options.Token));
        if (!CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, AdminTokenAuthenticationDefaults.UserName), new Claim(ClaimTypes.Role, AdminTokenAuthenticationDefaults.Group)],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.HasStarted ? Task.CompletedTask : KubernetesResults.WriteAsync(Response, KubernetesError.Unauthorized());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Response.HasStarted
            ? Task.CompletedTask
            : KubernetesResults.WriteAsync(Response, new KubernetesError
            {
                Code = StatusCodes.Status403Forbidden,
                Reason = "Forbidden",
                Message = $"forbidden: User \"{Context.User.Identity?.Name ?? "system:anonymous"}\" cannot {Request.Method.ToLowerInvariant()} path \"{Request.Path}\"",
            });
}
