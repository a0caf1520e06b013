namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>Names used by the admin-token authentication scheme and its policy.</summary>
internal static class AdminTokenAuthenticationDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string AuthenticationScheme = "AdminToken";

    /// <summary>The user name of the admin token's principal.</summary>
    public const string AdminUserName = "admin";

    /// <summary>The role of the admin token's principal.</summary>
    public const string AdminRole = "admin";
}
