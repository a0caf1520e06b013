using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>Writes API responses: always JSON, compact unless <c>?pretty=true</c>, errors as <c>v1 Status</c>.</summary>
internal static class KubernetesResponseWriter
{
    /// <summary>The Content-Type of every API response.</summary>
    public const string JsonContentType = "application/json";

    // Go's encoding/json writes quotes as \" (System.Text.Json's default encoder writes \u0022); responses are
    // application/json with nosniff, never embedded in HTML, so the relaxed encoder is safe and reads like kube-apiserver.
    private static readonly KubernetesJsonContext Compact = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private static readonly KubernetesJsonContext Indented = new(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Writes <paramref name="value"/> with <paramref name="statusCode"/>.</summary>
    public static Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        var serializerContext = IsPretty(context.Request) ? Indented : Compact;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)serializerContext.GetTypeInfo(typeInfo.Type)!);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>Writes an error as a <c>v1 Status</c> with its code.</summary>
    public static Task WriteErrorAsync(HttpContext context, KubernetesError error) =>
        WriteAsync(context, error.Code, error.ToStatus(), KubernetesJsonContext.Default.Status);

    /// <summary>Adds a <c>Warning: 299 - "text"</c> header, quoted as Kubernetes quotes it.</summary>
    public static void AddWarning(HttpResponse response, string text) =>
        response.Headers.Append("Warning", "299 - " + QuoteWarning(text));

    /// <summary>
    /// Adds warnings as kube-apiserver's warning recorder does: duplicates dropped, and once the texts pass
    /// 4096 runes in total, every warning cut to 256 runes and no more added past that total. A body with
    /// thousands of unknown fields would otherwise get as many headers (more than clients read, and quadratic
    /// to append one by one).
    /// </summary>
    public static void AddWarnings(HttpResponse response, IEnumerable<string> warnings)
    {
        var limited = LimitWarnings(warnings);
        if (limited.Count > 0)
        {
            response.Headers.Append("Warning", new Microsoft.Extensions.Primitives.StringValues([.. limited.Select(w => "299 - " + QuoteWarning(w))]));
        }
    }

    /// <summary>The warnings kube-apiserver would send for <paramref name="warnings"/> (k8s.io/apiserver warning recorder).</summary>
    internal static IReadOnlyList<string> LimitWarnings(IEnumerable<string> warnings)
    {
        const int TotalRunes = 4 * 1024;
        const int ItemRunes = 256;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var recorded = new List<string>();
        var output = new List<string>();
        var written = 0;
        var truncating = false;
        foreach (var text in warnings)
        {
            if (truncating && written >= TotalRunes)
            {
                break;
            }

            if (text.Length == 0 || !seen.Add(text))
            {
                continue;
            }

            recorded.Add(text);
            if (!truncating && written + RuneCount(text) <= TotalRunes)
            {
                written += RuneCount(text);
                output.Add(text);
                continue;
            }

            if (!truncating)
            {
                // Over the limit for the first time: replay everything so far, each cut to ItemRunes.
                truncating = true;
                written = 0;
                output.Clear();
                foreach (var earlier in recorded)
                {
                    var cut = Truncate(earlier, ItemRunes);
                    written += RuneCount(cut);
                    output.Add(cut);
                }

                continue;
            }

            var item = Truncate(text, ItemRunes);
            written += RuneCount(item);
            output.Add(item);
        }

        return output;

        static int RuneCount(string s) => s.EnumerateRunes().Count();

        static string Truncate(string s, int runes)
        {
            var sb = new StringBuilder();
            var n = 0;
            foreach (var rune in s.EnumerateRunes())
            {
                if (n++ == runes)
                {
                    break;
                }

                sb.Append(rune.ToString());
            }

            return sb.ToString();
        }
    }

    private static bool IsPretty(HttpRequest request) =>
        request.Query.TryGetValue("pretty", out var pretty) && bool.TryParse(pretty.ToString(), out var value) && value;

    private static string QuoteWarning(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                // Header values must be visible ASCII; anything else becomes '?' rather than breaking the response.
                sb.Append(c is >= ' ' and <= '~' ? c : '?');
            }
        }

        return sb.Append('"').ToString();
    }
}
