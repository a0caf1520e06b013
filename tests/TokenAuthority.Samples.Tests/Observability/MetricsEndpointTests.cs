using System.Globalization;
using System.Text.RegularExpressions;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Observability;

/// <summary>The Authority serves its metrics in the Prometheus format at <c>/metrics</c>, to the admin token only.</summary>
public sealed partial class MetricsEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Metrics_count_issued_tokens_and_need_the_admin_token()
    {
        using var samples = new RunningSamples(output);
        await samples.StartAuthorityAsync();
        var metrics = new Uri(samples.AuthorityUrl, "/metrics");
        for (var i = 0; i < 2; i++)
        {
            var (status, body) = await samples.PostAsync("/api/v1/namespaces/default/serviceaccounts/default/token", """{"spec":{}}""");
            Assert.True(status == 201, body?.ToJsonString());
        }

        using (var anonymous = samples.AnonymousAuthorityClient())
        using (var response = await anonymous.GetAsync(metrics))
        {
            Assert.Equal(401, (int)response.StatusCode);
        }

        using (var reviewer = samples.ReviewerClient())
        using (var response = await reviewer.GetAsync(metrics))
        {
            Assert.Equal(403, (int)response.StatusCode);
        }

        using var admin = samples.AdminClient();
        var text = await admin.GetStringAsync(metrics);

        var issued = IssuedLine().Match(text);
        Assert.True(issued.Success, "no tokenauthority_tokens_issued_total in:\n" + text);
        Assert.True(double.Parse(issued.Groups[1].Value, CultureInfo.InvariantCulture) >= 2, issued.Value);
        Assert.Contains("# TYPE tokenauthority_issue_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("tokenauthority_keys_verification{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal); // ASP.NET Core's own meters
    }

    [GeneratedRegex(@"^tokenauthority_tokens_issued_total\{[^}]*\} (\S+)", RegexOptions.Multiline)]
    private static partial Regex IssuedLine();
}
