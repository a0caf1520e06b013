using TokenAuthority.Server;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>Names of the Authority's bearer scheme, the service-account scheme behind it and the objects API's policy.</summary>
internal static class AuthorityAuthenticationDefaults
{
    /// <summary>
    /// The default scheme and the one every policy names: a policy scheme that hands the request to the handler that can
    /// read its bearer token (<see cref="BearerSchemeSelector"/>).
    /// </summary>
    public const string AuthenticationScheme = "Bearer";

    /// <summary>The library's local scheme: service-account tokens issued here for the API audiences, bound objects checked.</summary>
    public const string ServiceAccountScheme = TokenAuthorityAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// The policy of the objects API: the admin token may do everything, a service-account token what
    /// <see cref="ServiceAccountAccessRule"/> grants, the reviewer token nothing.
    /// </summary>
    public const string ObjectsApiPolicy = "objects-api";
}
