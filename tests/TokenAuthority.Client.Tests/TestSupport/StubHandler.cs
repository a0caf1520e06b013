using System.Net;

namespace TokenAuthority.Client.Tests.TestSupport;

/// <summary>A callee in memory: records what it was sent and answers from a script (the last answer repeats).</summary>
internal sealed class StubHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri? Uri, string? Authorization, string? Body)> Received { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Received)
        {
            Received.Add((request.Method, request.RequestUri, request.Headers.Authorization?.ToString(), body));
            return answers[Math.Min(Received.Count - 1, answers.Length - 1)]();
        }
    }

    public static HttpResponseMessage Ok() => new(HttpStatusCode.OK) { Content = new StringContent("ok") };

    public static HttpResponseMessage InvalidToken()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Bearer error=\"invalid_token\", error_description=\"The token expired at '01/01/2026 01:00:00'\"");
        return response;
    }

    public static HttpResponseMessage Forbidden() => new(HttpStatusCode.Forbidden);
}
