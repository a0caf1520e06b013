using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TokenAuthority.ClusterLoad;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13, the load test: 32 concurrent clients issue and verify through the balancer of
/// <c>samples/cluster/run.sh</c>, then verify tokens already reviewed, with the benchmark's own generator
/// (benchmarks/TokenAuthority.ClusterLoad) for a few seconds per phase. No request may fail or be answered wrongly, and
/// a warm verification asks the database nothing. No throughput is asserted (machines vary); it is printed.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterLoadTests(ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int Pods = 32;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(2.5);

    // The resolver cache's default TimeToLive (BoundObjectCacheOptions): what the warm-up cached must still be fresh at the end.
    private static readonly TimeSpan ResolverCacheTimeToLive = TimeSpan.FromSeconds(10);

    // TokenRequest is rate-limited per caller (200 burst, 100/s per replica): 32 clients of one admin would measure the limiter.
    private static readonly string[] NoRateLimit =
    [
        "--TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod", "100000",
        "--TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit", "100000",
    ];

    [Fact]
    public async Task Thirty_two_clients_issue_and_verify_through_the_balancer_without_an_error_and_warm_verifications_ask_the_database_nothing()
    {
        // The balancer probes each replica's /readyz every second, and a probe reads the objects table too (the object
        // store's ping and the resolver's health check), at moments the counts cannot tell apart from a verification's.
        // Here it probes once, at its start: every objects-table query in the warm window is then a verification's, and
        // the window's readiness probes (one "SELECT 1 FROM key_ring" each, which nothing else runs) are counted to
        // show it (run.sh --probe-interval). run-cluster-load.sh keeps the probes and subtracts their share instead.
        var started = Stopwatch.StartNew();
        await using var cluster = await RunningCluster.StartWithScriptOptionsAsync(output, ["--probe-interval", "00:10:00"], NoRateLimit);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the cluster started in {started.Elapsed.TotalSeconds:F1} s"));
        started.Restart();

        var options = new ClusterLoadOptions
        {
            Balancer = cluster.Balancer,
            CertificateAuthorityFile = cluster.CertificateAuthorityFile,
            AdminToken = cluster.AdminToken,
            Clients = Clients,
            Pods = Pods,
            ServiceAccount = "load-issue",
        };

        // (a) issue+verify: TokenRequest bound to a pod, then TokenReview of that token, both through the balancer.
        using var issue = new ClusterLoadRun(options);
        await issue.PrepareAsync();
        var issueAndVerify = await issue.IssueAndVerifyAsync(Phase);

        // (b) warm verification, on tokens of another service account and pods, so that every object the phase needs
        // is first cached by the warm-up (phase (a)'s entries were cached at any time in it and would expire during (b)).
        using var warm = new ClusterLoadRun(options with { ServiceAccount = "load-warm" });
        await warm.PrepareAsync();
        var issued = await warm.IssueTokensAsync();
        var warmedAt = Stopwatch.StartNew();
        var warmUp = await warm.WarmUpAsync(cluster.Replicas);
        await cluster.ResetQueryStatisticsAsync();
        var warmVerify = await warm.WarmVerificationAsync(Phase);
        var queries = await cluster.ObjectQueriesAsync();
        var during = await CountAsync(cluster);
        var window = warmedAt.Elapsed;
        var statements = await StatementsAsync(cluster);

        var result = new ClusterLoadResult(Clients, Pods, issue.HttpVersionName, [issueAndVerify, issued, warmUp, warmVerify]);
        output.WriteLine(result.ToTable());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"issue+verify: {issueAndVerify.Throughput:F0} requests/s, p99 {P99(issueAndVerify, ClusterLoadRun.TokenRequest):F1} ms (TokenRequest) " +
            $"{P99(issueAndVerify, ClusterLoadRun.TokenReview):F1} ms (TokenReview); warm-verify: {warmVerify.Throughput:F0} reviews/s, " +
            $"p99 {P99(warmVerify, ClusterLoadRun.TokenReview):F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"objects-table queries during warm-verify: {queries} for {warmVerify.Reviews} verifications " +
            $"({(double)queries / Math.Max(1, warmVerify.Reviews):F4} per verification), readiness probes {during.Probes}; " +
            $"the window ended {window.TotalSeconds:F1} s after the warm-up began"));
        output.WriteLine("statements since the reset:\n" + statements);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the load took {started.Elapsed.TotalSeconds:F1} s"));

        Assert.True(issueAndVerify.Requests > 0 && warmVerify.Reviews > 0, result.ToTable());
        Assert.True(result.Errors == 0, "errors:\n" + result.ToTable());
        Assert.True(result.WrongAnswers == 0, "wrong answers:\n" + result.ToTable());
        Assert.True(window < ResolverCacheTimeToLive,
            $"the warm phase ended {window.TotalSeconds:F1} s after the warm-up began, beyond the resolver cache's TTL: the query count says nothing");
        Assert.True(during.Probes == 0, $"{during.Probes} readiness probes in the warm window: the balancer did not take run.sh's --probe-interval");
        Assert.True(queries == 0,
            $"{queries} objects-table queries for {warmVerify.Reviews} warm verifications (expected none: all cached); the statements since the reset:\n{statements}");
    }

    private static double P99(ClusterLoadPhaseResult phase, string operation) =>
        phase.Operations.Single(o => o.Name == operation).P99Milliseconds;

    // Objects-table queries (RunningCluster.ObjectQueriesAsync's filter) and /readyz probes (the database check's statement).
    private static async Task<(long Objects, long Probes)> CountAsync(RunningCluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE '%objects%'), 0)::bigint,
                   coalesce(sum(calls) FILTER (WHERE query ILIKE '%key_ring LIMIT%'), 0)::bigint
            FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    // What the replicas asked the database since the last reset, most frequent first.
    private static async Task<string> StatementsAsync(RunningCluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT calls, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT 10", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetInt64(0),6}  {reader.GetString(1)}");
        }

        return string.Join('\n', lines);
    }
}
