using Microsoft.Extensions.Primitives;

namespace TokenAuthority.Validation;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c> (RFC 6750 §2.1).</summary>
internal static class BearerToken
{
    public const string EmptyToken = "bearer token is empty";

    public const string MalformedToken = "bearer token is malformed";

    public const string AmbiguousHeader = "more than one Authorization header";

    /// <summary>The longest token accepted before verification (far above any real JWT).</summary>
    public const int MaxLength = 16 * 1024;

    public enum Kind
    {
        /// <summary>No header, or another scheme: not ours, another handler may try.</summary>
        None,

        /// <summary>A Bearer header whose token cannot be valid.</summary>
        Malformed,

        /// <summary>A well-formed token.</summary>
        Token,
    }

    public static (Kind Kind, string Value) Read(StringValues header)
    {
        if (header.Count == 0)
        {
            return (Kind.None, string.Empty);
        }

        if (header.Count > 1)
        {
            return header.Any(IsBearer) ? (Kind.Malformed, AmbiguousHeader) : (Kind.None, string.Empty);
        }

        var value = header[0] ?? string.Empty;
        if (!IsBearer(value))
        {
            return (Kind.None, string.Empty);
        }

        var token = value.AsSpan(6).Trim(' ');
        if (token.IsEmpty)
        {
            return (Kind.Malformed, EmptyToken);
        }

        var text = token.ToString();
        return IsWellFormed(text) ? (Kind.Token, text) : (Kind.Malformed, MalformedToken);
    }

    /// <summary>token68: <c>1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</c>, bounded in length.</summary>
    public static bool IsWellFormed(string token)
    {
        if (token.Length is 0 or > MaxLength)
        {
            return false;
        }

        var i = 0;
        while (i < token.Length && (char.IsAsciiLetterOrDigit(token[i]) || token[i] is '-' or '.' or '_' or '~' or '+' or '/'))
        {
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        while (i < token.Length && token[i] == '=')
        {
            i++;
        }

        return i == token.Length;
    }

    // "Bearer" followed by a space, case-insensitive (RFC 7235 §2.1); "Bearer" alone counts as an empty token.
    private static bool IsBearer(string? value) =>
        value is not null
        && value.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase)
        && (value.Length == 6 || value[6] == ' ');
}
