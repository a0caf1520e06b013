using System.Globalization;
using TokenAuthority.ClusterLoad;

// The cluster load generator (issue #13): see benchmarks/README.md and benchmarks/run-cluster-load.sh.
const string Usage = """
    TokenAuthority.ClusterLoad --url URL --ca FILE --admin-token-file FILE [options]

      --url URL                the load balancer of samples/cluster/run.sh (its ISSUER in cluster.env)
      --ca FILE                the PEM certificate it serves (DIR/replica-1/tls.crt): the only one trusted
      --admin-token-file FILE  the admin token (DIR/replica-1/admin.token)
      --clients N              concurrent clients (32)
      --duration D             each phase's length: 30s, 2m, 500ms or seconds (30s)
      --pods N                 pods created first, tokens bound to them in turn (32)
      --service-account NAME   the service account of the tokens, created if missing (cluster-load)
      --replica URL            a replica's own URL (repeatable): the warm-up reviews every token on each, so that
                               every replica has them cached; without, the warm-up goes through the balancer
      --http2                  one multiplexed HTTP/2 connection instead of HTTP/1.1 with a connection per client
      --snapshot-command CMD   runs "CMD PHASE" (sh -c) before each phase and once at the end (PHASE = end) and
                               waits for it: run-cluster-load.sh reads pg_stat_statements there, per phase

    Phases: prepare (service account + pods), issue+verify (TokenRequest bound to a pod, then TokenReview of it),
    warm-up (each token reviewed once more), warm-verify (TokenReview of reviewed tokens only). Prints a table, TSV
    rows ("tsv\t..." after a header) and one JSON line ("json\t{...}"). Exit code 1 when any request failed or was
    answered wrongly, 2 on bad arguments.

    TokenRequest is rate-limited per caller: start the cluster with
      -- --TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod 100000 --TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit 100000
    or the issue+verify phase measures the limiter's 429s.
    """;

string? url = null, ca = null, adminTokenFile = null, serviceAccount = null, snapshotCommand = null;
int clients = 32, pods = 32;
var duration = TimeSpan.FromSeconds(30);
var http2 = false;
var replicas = new List<Uri>();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--url": url = Value(); break;
            case "--ca": ca = Value(); break;
            case "--admin-token-file": adminTokenFile = Value(); break;
            case "--clients": clients = Positive(Value(), "--clients"); break;
            case "--pods": pods = Positive(Value(), "--pods"); break;
            case "--duration": duration = ParseDuration(Value()); break;
            case "--service-account": serviceAccount = Value(); break;
            case "--replica": replicas.Add(new Uri(Value(), UriKind.Absolute)); break;
            case "--http2": http2 = true; break;
            case "--snapshot-command": snapshotCommand = Value(); break;
            case "-h" or "--help": Console.Out.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown argument \"{args[i]}\"");
        }
    }

    if (url is null || ca is null || adminTokenFile is null)
    {
        throw new ArgumentException("--url, --ca and --admin-token-file are required");
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    await Console.Error.WriteLineAsync($"ClusterLoad: {ex.Message} (see --help)");
    return 2;
}

ClusterLoadRun run;
try
{
    run = new ClusterLoadRun(new ClusterLoadOptions
    {
        Balancer = new Uri(url, UriKind.Absolute),
        CertificateAuthorityFile = ca,
        AdminToken = (await File.ReadAllTextAsync(adminTokenFile)).Trim(),
        Clients = clients,
        Pods = pods,
        ServiceAccount = serviceAccount ?? "cluster-load",
        Http2 = http2,
    });
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException
    or System.Security.Cryptography.CryptographicException)
{
    await Console.Error.WriteLineAsync($"ClusterLoad: {ex.Message}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

using var disposeRun = run;
Console.Out.WriteLine($"ClusterLoad: {clients} clients, {pods} pods, {duration.TotalSeconds:F0} s per phase, {run.HttpVersionName}, through {url}");
ClusterLoadResult result;
try
{
    await run.PrepareAsync(cancellation.Token);
    await SnapshotAsync("issue+verify");
    var issueAndVerify = await run.IssueAndVerifyAsync(duration, cancellation.Token);
    Console.Out.WriteLine($"ClusterLoad: issue+verify done ({issueAndVerify.Requests} requests, {issueAndVerify.Errors} errors)");
    await SnapshotAsync("warm-up");
    var warmUp = await run.WarmUpAsync(replicas, cancellation.Token);
    await SnapshotAsync("warm-verify");
    var warm = await run.WarmVerificationAsync(duration, cancellation.Token);
    await SnapshotAsync("end");
    result = new ClusterLoadResult(clients, pods, run.HttpVersionName, [issueAndVerify, warmUp, warm]);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("ClusterLoad: interrupted");
    return 130;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
{
    await Console.Error.WriteLineAsync("ClusterLoad: " + ex.Message); // e.g. the balancer does not answer, or refused a pod
    return 1;
}

Console.Out.WriteLine();
Console.Out.Write(result.ToTable());
Console.Out.WriteLine("tsv\t" + ClusterLoadResult.TsvHeader);
foreach (var row in result.ToTsvRows())
{
    Console.Out.WriteLine("tsv\t" + row);
}

Console.Out.WriteLine("json\t" + result.ToJson());
return result.Errors == 0 ? 0 : 1;

async Task SnapshotAsync(string phase)
{
    if (snapshotCommand is null)
    {
        return;
    }

    using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", snapshotCommand + " " + phase]))!;
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        await Console.Error.WriteLineAsync($"ClusterLoad: the snapshot command failed ({process.ExitCode}) before {phase}");
    }
}

static int Positive(string text, string name) =>
    int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive number");

static TimeSpan ParseDuration(string text)
{
    var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
        : text.EndsWith('s') ? (text[..^1], 1.0)
        : text.EndsWith('m') ? (text[..^1], 60.0)
        : (text, 1.0);
    return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
        ? TimeSpan.FromSeconds(value * unit)
        : throw new ArgumentException($"--duration \"{text}\" is not a duration (30s, 2m, 500ms)");
}
