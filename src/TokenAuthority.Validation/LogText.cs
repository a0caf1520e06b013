using System.Text;
using Microsoft.AspNetCore.Http;

namespace TokenAuthority.Validation;

/// <summary>
/// What a log line may say about a request or a failure: the path without its query (which may carry a token), the
/// client address, and an exception's types and messages without its stack; every control character replaced, so a
/// request cannot write lines of its own into the log.
/// </summary>
internal static class LogText
{
    /// <summary>The longest text written for one value; longer ones end with an ellipsis.</summary>
    public const int MaxLength = 256;

    /// <summary>The request's path base and path (never its query string), cleaned.</summary>
    public static string PathOf(HttpRequest request) => Clean(request.PathBase.Add(request.Path).Value is { Length: > 0 } path ? path : "/");

    /// <summary>The client's address, or <c>unknown</c> (a test server has none).</summary>
    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The method, cleaned (a method is a token of the client's choice).</summary>
    public static string MethodOf(HttpRequest request) => Clean(request.Method);

    /// <summary>
    /// <c>HttpRequestException: Connection refused (127.0.0.1:8443) ← SocketException: Connection refused</c>: the type
    /// and the first line of the message of the exception and its inner ones (at most three), no stack.
    /// </summary>
    public static string Summary(Exception exception)
    {
        var builder = new StringBuilder();
        var depth = 0;
        for (var e = exception; e is not null && depth < 3; e = e.InnerException, depth++)
        {
            if (depth > 0)
            {
                builder.Append(" <- ");
            }

            // The first line of each message: IdentityModel's go on for lines about every key it tried.
            var message = e.Message;
            var end = message.IndexOfAny(['\r', '\n']);
            builder.Append(e.GetType().Name).Append(": ").Append(end < 0 ? message : message[..end]);
        }

        return Clean(builder.ToString(), MaxLength * 2);
    }

    /// <summary>The text with each control character replaced by a space-free marker, cut at <paramref name="max"/> characters.</summary>
    public static string Clean(string text, int max = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > max;
        var span = cut ? text.AsSpan(0, max) : text.AsSpan();
        if (!cut && !HasControl(span))
        {
            return text;
        }

        var builder = new StringBuilder(span.Length + 1);
        foreach (var c in span)
        {
            builder.Append(char.IsControl(c) ? '\uFFFD' : c);
        }

        if (cut)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
