using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13 item 3: <c>samples/cluster/run.sh</c> as a new user runs it. It starts the whole cluster with one command,
/// what it prints works as printed (kubectl and curl through the balancer), and Ctrl-C stops every process it started,
/// the database included, and removes its temporary directory.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed partial class ClusterScriptTests(ITestOutputHelper output)
{
    [KubectlFact]
    public async Task One_command_starts_the_cluster_its_printed_commands_work_and_ctrl_c_stops_everything_and_cleans_up()
    {
        var cluster = await RunningCluster.StartInTemporaryDirectoryAsync(output);
        await using var _ = cluster;
        var printed = cluster.Output;
        var directory = FilesLine().Match(printed).Groups[1].Value;
        Assert.Equal(cluster.Directory, directory);
        Assert.Contains($"[cluster] ready: 3 replicas behind {cluster.Balancer.GetLeftPart(UriPartial.Authority)} (YARP)", printed, StringComparison.Ordinal);

        // kubectl through the balancer with the kubeconfig it wrote: a TokenRequest, verified by every replica on its own.
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var (exit, token, error) = await Kubectl.RunAsync("--kubeconfig", kubeconfig, "create", "token", "default", "--audience", "orders", "--duration", "10m");
        Assert.True(exit == 0, error);
        using var client = cluster.Client();
        foreach (var replica in cluster.Replicas)
        {
            var review = await cluster.ReviewAsync(client, replica, token.Trim());
            Assert.True(review["authenticated"]?.GetValue<bool>() == true, $"{replica}: {review.ToJsonString()}");
        }

        // The printed walkthrough, run as printed: a pod, a token bound to it accepted, the pod deleted, the token refused.
        var block = printed[printed.IndexOf("  export KUBECONFIG=", StringComparison.Ordinal)..printed.IndexOf("  Each replica also answers", StringComparison.Ordinal)];
        var walkthrough = block + "\ncurl -sS --cacert $ca -H \"Authorization: Bearer $admin\" -H 'Content-Type: application/json' -X POST "
            + cluster.Balancer.GetLeftPart(UriPartial.Authority) + "/apis/authentication.k8s.io/v1/tokenreviews -d \"{\\\"spec\\\":{\\\"token\\\":\\\"$TOKEN\\\",\\\"audiences\\\":[\\\"orders\\\"]}}\"\n";
        var (walkExit, walkOutput) = await BashAsync(walkthrough);
        Assert.True(walkExit == 0, walkOutput);
        Assert.Contains("\"jwks_uri\":\"" + cluster.Balancer.GetLeftPart(UriPartial.Authority) + "/openid/v1/jwks\"", walkOutput, StringComparison.Ordinal);
        Assert.Contains("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-0\"", walkOutput, StringComparison.Ordinal);
        Assert.Contains("\"authenticated\":true", walkOutput, StringComparison.Ordinal);
        Assert.Contains("service account token has been invalidated", walkOutput, StringComparison.Ordinal);
        Assert.Contains("serviceaccount/builder created", walkOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^web-0\s+", walkOutput); // kubectl get pods

        // Each log is one line per event, as the samples' appsettings.json ask (FormatterName simple, SingleLine).
        foreach (var log in (string[])["replica-1.log", "replica-2.log", "replica-3.log", "loadbalancer.log"])
        {
            Assert.All(File.ReadAllLines(Path.Combine(directory, log)), line => Assert.Matches("^(trce|dbug|info|warn|fail|crit): [^ ]+\\[[0-9]+\\] ", line));
        }

        // Ctrl-C, pressed twice as impatient people do: the script stops the balancer, the replicas and PostgreSQL, and
        // removes the temporary directory (the second press must not cut the clean-up short).
        var pids = cluster.Pids;
        var postgresPort = cluster.PostgresPort;
        var stopwatch = Stopwatch.StartNew();
        var exitCode = await cluster.InterruptAsync(TimeSpan.FromSeconds(60), presses: 2);
        output.WriteLine($"run.sh stopped {stopwatch.Elapsed.TotalSeconds:F1} s after Ctrl-C");
        Assert.Equal(130, exitCode);
        Assert.Contains($"[cluster] stopped; {directory} removed", cluster.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} outlived run.sh"));
        Assert.False(await AcceptsConnectionsAsync(postgresPort), $"PostgreSQL still listens on {postgresPort}");
        Assert.False(await AcceptsConnectionsAsync(cluster.Balancer.Port), "the balancer still listens");
    }

    [Fact]
    public async Task Help_prints_the_usage_and_a_wrong_argument_is_named()
    {
        var (helpExit, help) = await BashAsync($"bash {SamplePaths.ClusterScript} --help");
        Assert.Equal(0, helpExit);
        Assert.Contains("samples/cluster/run.sh [--replicas N] [--port PORT] [--dir DIR] [--no-build] [-- AUTHORITY_SETTINGS…]", help, StringComparison.Ordinal);
        Assert.Contains("Ctrl-C stops everything it started", help, StringComparison.Ordinal);

        var (wrongExit, wrong) = await BashAsync($"bash {SamplePaths.ClusterScript} --replica 2");
        Assert.Equal(2, wrongExit);
        Assert.Contains("run.sh: unknown argument \"--replica\" (see --help)", wrong, StringComparison.Ordinal);

        var (zeroExit, zero) = await BashAsync($"bash {SamplePaths.ClusterScript} --replicas 0");
        Assert.Equal(2, zeroExit);
        Assert.Contains("run.sh: --replicas must be a positive number", zero, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_script_before_it_starts_anything()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var directory = new TemporaryDirectory();

        var (exit, text) = await BashAsync($"bash {SamplePaths.ClusterScript} --no-build --configuration {SamplePaths.Configuration} --port {port} --dir {directory.Path}");

        Assert.Equal(1, exit);
        Assert.Contains($"[cluster] cannot start: port {port} is in use: pass another --port", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "pg")));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> BashAsync(string script)
    {
        var info = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\[cluster\] files: (\S+) \(")]
    private static partial Regex FilesLine();
}
