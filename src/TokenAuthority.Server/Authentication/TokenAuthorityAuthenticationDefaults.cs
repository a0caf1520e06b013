using TokenAuthority.Validation;
namespace TokenAuthority.Server;

/// <summary>Default values of the TokenAuthority authentication scheme.</summary>
public static class TokenAuthorityAuthenticationDefaults
{
    /// <summary>The default scheme name: <c>TokenAuthority</c>.</summary>
    public const string AuthenticationScheme = "TokenAuthority";
}
