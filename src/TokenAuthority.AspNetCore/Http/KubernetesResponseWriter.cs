using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using TokenAuthority.Errors;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Http;

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
