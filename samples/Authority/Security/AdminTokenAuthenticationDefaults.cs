namespace TokenAuthority.Samples.Authority.Security;

/// <summary>Names used by the admin-token authentication scheme and its policy.</summary>
internal static class AdminTokenAuthenticationDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string AuthenticationScheme = "AdminToken";

    /// <summary>The authorization policy that the objects API, TokenRequest and TokenReview require.</summary>
    public const string Policy = "admin";

    /// <summary>The user name of the admin principal.</summary>
    public const string UserName = "token-authority:admin";

    /// <summary>The group of the admin principal, as in Kubernetes.</summary>
    public const string Group = "system:masters";
}
