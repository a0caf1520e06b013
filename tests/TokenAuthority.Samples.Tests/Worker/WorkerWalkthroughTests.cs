using System.Reflection;
using System.Text.RegularExpressions;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Worker;

/// <summary>
/// The Worker sample as the walkthrough runs it: Authority, OrdersApi and Worker as real processes; the worker calls
/// OrdersApi with tokens from the Authority (named by its kubeconfig) and refreshes them without missing a call.
/// </summary>
public sealed partial class WorkerWalkthroughTests(ITestOutputHelper output)
{
    private static string WorkerAssembly
    {
        get
        {
            var path = typeof(WorkerWalkthroughTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAssembly").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException($"The Worker sample is not built at {path}; build the test project (it builds the samples first).", path);
        }
    }

    [Fact]
    public async Task Worker_calls_OrdersApi_with_tokens_from_the_Authority_and_refreshes_them()
    {
        using var samples = new RunningSamples(output);
        await samples.StartAuthorityAsync();
        await samples.StartOrdersApiAsync();

        // MaxTokenAge 10 s and no jitter, so that the test sees a refresh (the walkthrough uses one minute).
        using var worker = SampleProcess.Start("Worker", WorkerAssembly,
            "--Worker:OrdersUrl", samples.OrdersUrl.GetLeftPart(UriPartial.Authority),
            "--Worker:Interval", "00:00:01",
            "--TokenAuthority:KubeconfigFile", samples.Data.Combine("kubeconfig"),
            "--TokenSource:MaxTokenAge", "00:00:10",
            "--TokenSource:MaxRefreshJitter", "00:00:00");
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!RefreshedAndCalledAgain(worker.Output) && DateTime.UtcNow < deadline && !worker.HasExited)
            {
                await Task.Delay(250);
            }

            Assert.True(RefreshedAndCalledAgain(worker.Output), "The worker did not obtain a second token and call with it. Output:\n" + worker.Output);
            Assert.Contains("OrdersApi saw caller system:serviceaccount:default:default", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("GET /orders -> 401", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("GET /orders failed", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(worker.Output);
        }
    }

    [Fact]
    public async Task Worker_without_the_kubeconfig_stops_with_a_message()
    {
        using var data = new TemporaryDirectory();
        using var worker = SampleProcess.Start("Worker", WorkerAssembly, "--TokenAuthority:KubeconfigFile", data.Combine("kubeconfig"));
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(worker.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Worker cannot start:", worker.Output, StringComparison.Ordinal);
        Assert.Contains($"KubeconfigFile '{data.Combine("kubeconfig")}' does not exist", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>Two tokens obtained (the second a refresh) and a successful call after the second.</summary>
    private static bool RefreshedAndCalledAgain(string log)
    {
        var obtained = Obtained().Matches(log);
        return obtained.Count >= 2 && log.IndexOf("GET /orders -> 200", obtained[1].Index, StringComparison.Ordinal) > 0;
    }

    [GeneratedRegex(@"Service-account token for default/default \(audiences orders\) obtained")]
    private static partial Regex Obtained();
}
