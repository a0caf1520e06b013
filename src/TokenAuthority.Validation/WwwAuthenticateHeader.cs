using System.Text;

namespace TokenAuthority.Validation;

/// <summary>Formats <c>WWW-Authenticate: Bearer ...</c> (RFC 6750 §3) safely for a response header.</summary>
internal static class WwwAuthenticateHeader
{
    /// <summary>Longest parameter value written; longer descriptions are cut (audience lists can be long).</summary>
    public const int MaxValueLength = 512;

    public static string Format(string? error, string? description, string? uri)
    {
        var builder = new StringBuilder("Bearer");
        var first = true;
        Append(builder, "error", error, ref first);
        Append(builder, "error_description", description, ref first);
        Append(builder, "error_uri", uri, ref first);
        return builder.ToString();
    }

    /// <summary>
    /// A quoted-string (RFC 9110 §5.6.4): printable ASCII only (anything else, CR and LF included, becomes
    /// <c>?</c>), with <c>"</c> and <c>\</c> escaped by a backslash.
    /// </summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        var length = Math.Min(value.Length, MaxValueLength);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c is >= ' ' and <= '~' ? c : '?');
            }
        }

        if (value.Length > MaxValueLength)
        {
            builder.Append("...");
        }

        return builder.Append('"').ToString();
    }

    private static void Append(StringBuilder builder, string name, string? value, ref bool first)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        builder.Append(first ? " " : ", ").Append(name).Append('=').Append(Quote(value));
        first = false;
    }
}
