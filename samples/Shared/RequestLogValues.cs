namespace TokenAuthority.Samples.Shared;

/// <summary>What a sample's log line says about a request: the path without its query, the client address; control characters replaced.</summary>
internal static class RequestLogValues
{
    public static string PathOf(HttpRequest request) => Clean(request.PathBase.Add(request.Path).Value is { Length: > 0 } path ? path : "/");

    public static string MethodOf(HttpRequest request) => Clean(request.Method);

    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Clean(string text)
    {
        var cut = text.Length > 256 ? text[..256] + "…" : text;
        return cut.Any(char.IsControl) ? new string(cut.Select(c => char.IsControl(c) ? '\uFFFD' : c).ToArray()) : cut;
    }
}
