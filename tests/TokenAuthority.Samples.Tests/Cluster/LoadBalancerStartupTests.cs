using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>The balancer's settings: each mistake stops it with one line naming the setting, before it listens.</summary>
public sealed class LoadBalancerStartupTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("no-backends", "LoadBalancer cannot start: no replica is given: pass --Backends:0 https://127.0.0.1:PORT (and :1, :2 … for more).")]
    [InlineData("http-backend", "LoadBalancer cannot start: --Backends:0 \"http://127.0.0.1:8444\" is not an https:// URL of a replica (e.g. https://127.0.0.1:8444).")]
    [InlineData("http-listen", "LoadBalancer cannot start: --urls \"http://127.0.0.1:9443\" does not start with an https:// URL; the balancer serves TLS only")]
    [InlineData("no-certificate", "LoadBalancer cannot start: --Tls:CertificateFile is not set: pass the replicas' tls.crt.")]
    [InlineData("missing-certificate", "LoadBalancer cannot start: --Tls:CertificateFile \"/nonexistent/tls.crt\" and --Tls:KeyFile \"/nonexistent/tls.key\" cannot be loaded together (")]
    [InlineData("bad-interval", "LoadBalancer cannot start: --HealthCheckInterval 00:00:00 must be positive (e.g. 00:00:01).")]
    public async Task A_wrong_setting_stops_the_balancer_with_one_line_naming_it(string @case, string expected)
    {
        // Valid certificate files, for the cases where something else is wrong.
        using var data = new TemporaryDirectory();
        var (certificate, key) = TokenAuthority.Samples.Shared.TlsCertificateFactory.Create(DateTimeOffset.UtcNow, "test");
        await File.WriteAllTextAsync(data.Combine("tls.crt"), certificate);
        await File.WriteAllTextAsync(data.Combine("tls.key"), key);
        string[] tls = ["--Tls:CertificateFile", data.Combine("tls.crt"), "--Tls:KeyFile", data.Combine("tls.key")];
        string[] backend = ["--Backends:0", "https://127.0.0.1:8444"];
        string[] arguments = @case switch
        {
            "no-backends" => tls,
            "http-backend" => ["--Backends:0", "http://127.0.0.1:8444", .. tls],
            "http-listen" => ["--urls", "http://127.0.0.1:9443", .. backend, .. tls],
            "no-certificate" => backend,
            "missing-certificate" => [.. backend, "--Tls:CertificateFile", "/nonexistent/tls.crt", "--Tls:KeyFile", "/nonexistent/tls.key"],
            "bad-interval" => [.. backend, .. tls, "--HealthCheckInterval", "00:00:00"],
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        using var balancer = SampleProcess.Start("LoadBalancer", SamplePaths.LoadBalancerAssembly, arguments);
        var exitCode = await balancer.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(balancer.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains(expected, balancer.Output, StringComparison.Ordinal);
        Assert.Single(balancer.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Help_prints_every_setting_and_exits()
    {
        using var balancer = SampleProcess.Start("LoadBalancer", SamplePaths.LoadBalancerAssembly, "--help");
        Assert.Equal(0, await balancer.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        foreach (var setting in (string[])["--urls URL", "--Backends:0 URL", "--Tls:CertificateFile FILE", "--Tls:KeyFile FILE", "--HealthCheckInterval TIME"])
        {
            Assert.Contains(setting, balancer.Output, StringComparison.Ordinal);
        }
    }
}
