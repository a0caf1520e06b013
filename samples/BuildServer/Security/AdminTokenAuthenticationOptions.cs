using Microsoft.AspNetCore.Authentication;

namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>Options of the admin-token scheme: the one bearer token it recognises.</summary>
internal sealed class AdminTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The admin bearer token (jobs, TokenRequest, TokenReview). Never logged.</summary>
    public string Token { get; set; } = string.Empty;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Token.Length < 32)
        {
            throw new InvalidOperationException("The admin token must be at least 32 characters long.");
        }
    }
}
