using System.Net;
using System.Text;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>Issue #14 items 10 and 13 with the real process: <c>/livez</c>, <c>/readyz</c> as kube-apiserver serves them, and the TokenRequest rate limit.</summary>
public sealed class AuthorityHealthEndpointTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Livez_and_readyz_answer_anonymously_as_kube_apiserver_does()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly, "--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path);
        try
        {
            await authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), StartTimeout);
            using var anonymous = TrustingHttpClient.Create(data.Combine("tls.crt"));

            await AssertAnswerAsync(anonymous, new Uri(url, "/livez"), "ok");
            await AssertAnswerAsync(anonymous, new Uri(url, "/livez?verbose"), "[+]ping ok\nlivez check passed\n");
            await AssertAnswerAsync(anonymous, new Uri(url, "/readyz"), "ok");
            await AssertAnswerAsync(anonymous, new Uri(url, "/readyz?verbose"),
                "[+]ping ok\n[+]objects ok\n[+]tokenauthority-keys ok\n[+]tokenauthority-resolver ok\n[+]shutdown ok\nreadyz check passed\n");
            await AssertAnswerAsync(anonymous, new Uri(url, "/readyz?verbose&exclude=objects"),
                "[+]ping ok\n[+]objects excluded: ok\n[+]tokenauthority-keys ok\n[+]tokenauthority-resolver ok\n[+]shutdown ok\nreadyz check passed\n");

            // Listening on loopback only: no warning about the address.
            Assert.DoesNotContain("beyond loopback", authority.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(authority.Output);
        }
    }

    [Fact]
    public async Task TokenRequest_is_limited_per_caller_as_configured_with_a_429_Status_and_Retry_After()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly, "--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path,
            "--TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit", "2",
            "--TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod", "1",
            "--TokenAuthority:Endpoints:TokenRequestRateLimit:ReplenishmentPeriod", "01:00:00");
        try
        {
            await authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), StartTimeout);
            using var admin = TrustingHttpClient.Create(data.Combine("tls.crt"), File.ReadAllText(data.Combine("admin.token")).Trim());
            var tokenRequest = new Uri(url, "/api/v1/namespaces/default/serviceaccounts/default/token");
            for (var i = 0; i < 2; i++)
            {
                using var ok = await admin.PostAsync(tokenRequest, Json("""{"spec":{}}"""));
                Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            }

            using var refused = await admin.PostAsync(tokenRequest, Json("""{"spec":{}}"""));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 3000, 3600);
            Assert.Equal(
                $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":{{retryAfter}}},"code":429}""",
                body);
        }
        finally
        {
            output.WriteLine(authority.Output);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertAnswerAsync(HttpClient client, Uri url, string expected)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}
