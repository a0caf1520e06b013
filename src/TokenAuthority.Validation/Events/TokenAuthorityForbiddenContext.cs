using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace TokenAuthority.Validation;

/// <summary>The context of <see cref="TokenAuthorityAuthenticationEvents.OnForbidden"/> (status 403 is already set).</summary>
public sealed class TokenAuthorityForbiddenContext : ResultContext<TokenAuthorityAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public TokenAuthorityForbiddenContext(HttpContext context, AuthenticationScheme scheme, TokenAuthorityAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }
}
