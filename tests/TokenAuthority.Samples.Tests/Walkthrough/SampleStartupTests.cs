using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Walkthrough;

/// <summary>Misconfigured samples stop at once with one line that says what to change, not a stack trace.</summary>
public sealed class SampleStartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_Authority_without_an_https_url_stops_with_a_message()
    {
        using var data = new TemporaryDirectory();
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--DataDirectory", data.Path);
        var exitCode = await authority.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(authority.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Authority cannot start: None of the URLs", authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", authority.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(data.Path));
    }

    [Fact]
    public async Task A_configured_issuer_is_announced_in_discovery_while_the_kubeconfig_keeps_the_listening_address()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path, "--TokenAuthority:Issuer", "https://issuer.example.test");
        try
        {
            await authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            using var client = TrustingHttpClient.Create(data.Combine("tls.crt"));
            var discovery = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync(new Uri(url, "/.well-known/openid-configuration")))!;
            Assert.Equal("https://issuer.example.test", discovery["issuer"]!.GetValue<string>());
            Assert.Contains($"issuer https://issuer.example.test.", authority.Output, StringComparison.Ordinal);

            // kubectl still talks to the listening address.
            var kubeconfig = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(data.Combine("kubeconfig")))!;
            Assert.Equal(url.GetLeftPart(UriPartial.Authority), kubeconfig["clusters"]![0]!["cluster"]!["server"]!.GetValue<string>());
        }
        finally
        {
            output.WriteLine(authority.Output);
        }
    }

    [Fact]
    public async Task OrdersApi_without_the_authoritys_certificate_stops_with_a_message()
    {
        using var data = new TemporaryDirectory();
        using var orders = SampleProcess.Start("OrdersApi", SamplePaths.OrdersApiAssembly,
            "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Authority:CaFile", data.Combine("tls.crt"));
        var exitCode = await orders.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(orders.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains($"OrdersApi cannot start: Authority:CaFile \"{data.Combine("tls.crt")}\" cannot be read", orders.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", orders.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersApi_reads_its_reviewer_credential_from_reviewer_token_by_default_never_from_admin_token()
    {
        // The repository's layout: OrdersApi's content root next to Authority/.data, with admin.token and tls.crt but no reviewer.token.
        using var root = new TemporaryDirectory();
        var data = new TokenAuthority.Samples.Authority.Bootstrap.DataDirectory(Path.Combine(root.Path, "Authority", ".data"));
        TokenAuthority.Samples.Authority.Bootstrap.AuthorityBootstrapper.Run(data, new Uri("https://127.0.0.1:8443"), TimeProvider.System).Certificate.Dispose();
        File.Delete(data.ReviewerToken);
        var contentRoot = Directory.CreateDirectory(Path.Combine(root.Path, "OrdersApi")).FullName;
        File.Copy(Path.Combine(Path.GetDirectoryName(SamplePaths.OrdersApiAssembly)!, "appsettings.json"), Path.Combine(contentRoot, "appsettings.json"));

        using var orders = SampleProcess.Start("OrdersApi", SamplePaths.OrdersApiAssembly,
            "--contentRoot", contentRoot, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        var exitCode = await orders.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(orders.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains($"OrdersApi cannot start: Authority:ReviewerTokenFile \"{data.ReviewerToken}\" cannot be read", orders.Output, StringComparison.Ordinal);
    }
}
