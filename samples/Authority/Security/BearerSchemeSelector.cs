using Microsoft.Extensions.Primitives;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>
/// Picks the handler for a request by the shape of its bearer token, before anything is verified: a JWS in compact form
/// (three parts joined by two dots) goes to the service-account scheme; anything else, no token included, to the
/// admin-token scheme. The admin and reviewer tokens are base64url and never contain a dot (the bootstrap refuses one
/// that does), so no credential can be sent to the wrong handler. kube-apiserver tries its authenticators in turn; the
/// shape gives the same answer with a single verification.
/// </summary>
internal static class BearerSchemeSelector
{
    private const string BearerPrefix = "Bearer ";

    public static string Select(HttpContext context) =>
        IsCompactJws(context.Request.Headers.Authorization)
            ? AuthorityAuthenticationDefaults.ServiceAccountScheme
            : AdminTokenAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Whether the header is one <c>Bearer</c> credential shaped like a compact JWS (its content is not checked here).</summary>
    public static bool IsCompactJws(StringValues authorization)
    {
        // Several Authorization headers: the admin handler refuses them as one unknown token.
        if (authorization.Count != 1 || authorization[0] is not { } header || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return header.AsSpan(BearerPrefix.Length).Trim(' ').Count('.') == 2;
    }
}
