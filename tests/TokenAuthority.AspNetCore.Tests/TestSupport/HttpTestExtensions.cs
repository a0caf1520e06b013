using System.Text;
using System.Text.Json;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

public static class HttpTestExtensions
{
    /// <summary>POSTs raw bytes with exactly the given Content-Type (none when null), optionally chunked.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, byte[] body, string? contentType, bool chunked = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = null;
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
            content.Headers.ContentLength = null;
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, string? contentType = "application/json") =>
        client.PostRawAsync(path, Encoding.UTF8.GetBytes(json), contentType);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string? MediaType(this HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    /// <summary>The <c>WWW-Authenticate</c> values as sent (joined with <c> | </c> when several), or null.</summary>
    public static string? WwwAuthenticate(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(" | ", values) : null;
}
