using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace TokenAuthority.Validation;

/// <summary>The context of <see cref="TokenAuthorityAuthenticationEvents.OnMessageReceived"/>.</summary>
public sealed class TokenAuthorityMessageReceivedContext : ResultContext<TokenAuthorityAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public TokenAuthorityMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, TokenAuthorityAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>The token to verify; when left null the <c>Authorization: Bearer</c> header is read.</summary>
    public string? Token { get; set; }
}
