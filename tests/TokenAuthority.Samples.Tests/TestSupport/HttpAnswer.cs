using System.Text.Json.Nodes;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>What a sample answered: status, body, and the headers the tests look at.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body as text (empty when there was none).</param>
/// <param name="ContentType">The media type of the body, if any.</param>
/// <param name="Challenge">The <c>WWW-Authenticate</c> header, or null when absent.</param>
internal sealed record HttpAnswer(int Status, string Body, string? ContentType, string? Challenge)
{
    /// <summary>The body as JSON (fails the test when it is not).</summary>
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new Xunit.Sdk.XunitException($"the body is JSON null: {Body}");

    public static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response) => new(
        (int)response.StatusCode,
        await response.Content.ReadAsStringAsync(),
        response.Content.Headers.ContentType?.MediaType,
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : null);

    public override string ToString() => $"{Status} {ContentType} {Challenge} {Body}";
}
