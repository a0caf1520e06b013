using Microsoft.AspNetCore.Authentication;

namespace TokenAuthority.Validation;

/// <summary>
/// Options of the scheme that verifies bound service-account tokens locally, through the core
/// <c>ITokenVerifier</c> (the <c>TokenAuthority</c> scheme of TokenAuthority.Server). Also the base of
/// <see cref="TokenReviewAuthenticationOptions"/>, so both schemes share <see cref="Audiences"/>,
/// <see cref="IncludeErrorDetails"/> and <see cref="Events"/>.
/// </summary>
public class TokenAuthorityAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with default events.</summary>
    public TokenAuthorityAuthenticationOptions() => Events = new TokenAuthorityAuthenticationEvents();

    /// <summary>
    /// The audiences this service accepts (required, at least one). A token must carry one of them;
    /// a service that accepts every audience is a configuration error, refused at start-up.
    /// </summary>
    public IList<string> Audiences { get; } = [];

    /// <summary>
    /// Whether 401 responses carry <c>error_description</c> with the Kubernetes reason text
    /// (e.g. <c>service account token has expired</c>). Default true; turn off to reveal nothing
    /// beyond <c>error="invalid_token"</c>.
    /// </summary>
    public bool IncludeErrorDetails { get; set; } = true;

    /// <summary>The events the handler raises; replace them or set <see cref="AuthenticationSchemeOptions.EventsType"/>.</summary>
    public new TokenAuthorityAuthenticationEvents Events
    {
        get => (TokenAuthorityAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }
}
