namespace TokenAuthority.Samples.Authority.Security;

/// <summary>Names used by the admin-token authentication scheme, its identities and its policies.</summary>
internal static class AdminTokenAuthenticationDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string AuthenticationScheme = "AdminToken";

    /// <summary>The authorization policy of TokenRequest: the admin role only.</summary>
    public const string Policy = "admin";

    /// <summary>The authorization policy of TokenReview: the admin or the token-reviewer role.</summary>
    public const string TokenReviewPolicy = "token-review";

    /// <summary>The user name and role of the admin token's principal (everything).</summary>
    public const string AdminUserName = "admin";

    /// <summary>The role of the admin token's principal.</summary>
    public const string AdminRole = "admin";

    /// <summary>The user name of the reviewer token's principal (TokenReview only, like Kubernetes' <c>create tokenreviews</c>).</summary>
    public const string ReviewerUserName = "token-reviewer";

    /// <summary>The role of the reviewer token's principal.</summary>
    public const string ReviewerRole = "token-reviewer";
}
