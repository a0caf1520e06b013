using Microsoft.AspNetCore.Authentication;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>Options of the admin-token scheme: the two bearer tokens it recognises.</summary>
internal sealed class AdminTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The admin bearer token (objects API, TokenRequest, TokenReview). Never logged.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>The reviewer bearer token (TokenReview only). Never logged.</summary>
    public string ReviewerToken { get; set; } = string.Empty;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Token.Length < 32)
        {
            throw new InvalidOperationException("The admin token must be at least 32 characters long.");
        }

        if (ReviewerToken.Length < 32)
        {
            throw new InvalidOperationException("The reviewer token must be at least 32 characters long.");
        }

        if (Token.Contains('.', StringComparison.Ordinal) || ReviewerToken.Contains('.', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The admin and reviewer tokens must not contain '.': such bearer tokens are read as service-account tokens.");
        }

        if (string.Equals(Token, ReviewerToken, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The reviewer token must differ from the admin token.");
        }
    }
}
