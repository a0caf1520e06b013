using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Primitives;
using TokenAuthority.Samples.Authority.Health;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class KubernetesHealthResponseWriterTests
{
    private static readonly HealthReport Failing = Report(
        ("ping", HealthStatus.Healthy),
        ("objects", HealthStatus.Healthy),
        ("tokenauthority-keys", HealthStatus.Unhealthy),
        ("tokenauthority-resolver", HealthStatus.Degraded));

    [Theory]
    [InlineData("")]
    [InlineData("verbose")]
    public void A_failing_check_is_500_with_every_line_and_its_reason_withheld(string query)
    {
        var (status, body) = KubernetesHealthResponseWriter.Render(Failing, "readyz", Query(query));

        Assert.Equal(500, status);
        Assert.Equal("[+]ping ok\n[+]objects ok\n[-]tokenauthority-keys failed: reason withheld\n[+]tokenauthority-resolver ok\nreadyz check failed\n", body);
        Assert.DoesNotContain("the token keys", body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_excluded_failing_check_does_not_fail_the_answer()
    {
        var (status, body) = KubernetesHealthResponseWriter.Render(Failing, "readyz", Query("verbose", ("exclude", "tokenauthority-keys"), ("exclude", "etcd")));

        Assert.Equal(200, status);
        Assert.Equal(
            "[+]ping ok\n[+]objects ok\n[+]tokenauthority-keys excluded: ok\n[+]tokenauthority-resolver ok\nwarn: some health checks cannot be excluded: no matches for \"etcd\"\nreadyz check passed\n",
            body);
    }

    [Fact]
    public void Healthy_without_verbose_is_ok()
    {
        var (status, body) = KubernetesHealthResponseWriter.Render(Report(("ping", HealthStatus.Healthy)), "livez", Query(""));

        Assert.Equal(200, status);
        Assert.Equal("ok", body);
    }

    private static HealthReport Report(params (string Name, HealthStatus Status)[] checks) =>
        new(checks.ToDictionary(c => c.Name, c => new HealthReportEntry(c.Status, c.Status == HealthStatus.Healthy ? null : "the token keys cannot be loaded", TimeSpan.Zero, null, null)), TimeSpan.Zero);

    private static QueryCollection Query(string flag, params (string Key, string Value)[] values)
    {
        var query = new Dictionary<string, StringValues>();
        if (flag.Length > 0)
        {
            query[flag] = StringValues.Empty;
        }

        foreach (var group in values.GroupBy(v => v.Key))
        {
            query[group.Key] = new StringValues(group.Select(v => v.Value).ToArray());
        }

        return new QueryCollection(query);
    }
}
