using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace TokenAuthority.Validation;

/// <summary>
/// The context of <see cref="TokenAuthorityAuthenticationEvents.OnChallenge"/>: the values of the
/// <c>WWW-Authenticate: Bearer</c> header (RFC 6750) about to be written with a 401.
/// </summary>
public sealed class TokenAuthorityChallengeContext : PropertiesContext<TokenAuthorityAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public TokenAuthorityChallengeContext(HttpContext context, AuthenticationScheme scheme, TokenAuthorityAuthenticationOptions options, AuthenticationProperties properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Why authentication failed, if it did; null when no token was sent.</summary>
    public Exception? AuthenticateFailure { get; set; }

    /// <summary>The <c>error</c> parameter (<c>invalid_token</c> when a token was refused).</summary>
    public string? Error { get; set; }

    /// <summary>The <c>error_description</c> parameter (the Kubernetes reason when details are on).</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>The <c>error_uri</c> parameter.</summary>
    public string? ErrorUri { get; set; }

    /// <summary>Whether the event wrote the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default 401 response.</summary>
    public void HandleResponse() => Handled = true;
}
