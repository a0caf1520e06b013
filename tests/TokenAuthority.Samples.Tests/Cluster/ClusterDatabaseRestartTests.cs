using System.Diagnostics;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13: PostgreSQL stopped and started again under running replicas. While it is down every replica fails closed
/// (a pod-bound token is refused, never accepted from what was cached before); once it is back they reconnect,
/// re-listen and recover, without a restart, and a deletion is again seen by all at once.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterDatabaseRestartTests(ITestOutputHelper output)
{
    /// <summary>The resolver cache's time to live: the longest a replica may answer from its cache after losing the database.</summary>
    private static readonly TimeSpan TtlBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task With_the_database_down_every_replica_fails_closed_and_after_it_returns_all_recover_without_a_restart()
    {
        await using var cluster = await RunningCluster.StartAsync(output);
        using var client = cluster.Client();
        var replicas = cluster.Replicas;
        var pids = cluster.Pids;
        await cluster.CreatePodAsync(client, cluster.Balancer, "web-0");
        var token = await cluster.RequestTokenAsync(client, cluster.Balancer, "web-0");
        foreach (var replica in replicas)
        {
            Assert.True(RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, replica, token)), $"{replica} refused a good token before the test began");
        }

        // Down: each replica refuses the token (its cache was dropped with the listener's connection), within the TTL bound at worst.
        await cluster.StopDatabaseAsync();
        var stopped = Stopwatch.StartNew();
        var refusedAfter = new TimeSpan[replicas.Count];
        var downAnswers = new List<string>();
        for (var i = 0; i < replicas.Count; i++)
        {
            while (true)
            {
                var (status, body) = await cluster.SendTokenReviewAsync(client, replicas[i], token);
                Assert.True(status is 201, $"{replicas[i]} answered a TokenReview with the database down with {status}: {body?.ToJsonString()}");
                if (!RunningCluster.IsAuthenticated(body!["status"]!))
                {
                    refusedAfter[i] = stopped.Elapsed;
                    downAnswers.Add(body["status"]!["error"]?.GetValue<string>() ?? "(no error)");
                    break;
                }

                Assert.True(stopped.Elapsed < TtlBound, $"{replicas[i]} still accepts a pod-bound token {stopped.Elapsed} after the database stopped");
                await Task.Delay(20);
            }
        }

        // Still down a moment later: still refused everywhere (nothing flips back to a stale yes), and issuing fails with a Status.
        await Task.Delay(500);
        foreach (var replica in replicas)
        {
            Assert.False(RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, replica, token)), $"{replica} accepted the token with the database down");
        }

        var (issueStatus, issueBody) = await cluster.SendTokenRequestAsync(client, replicas[0], "web-0");
        output.WriteLine($"TokenRequest with the database down: {issueStatus} {issueBody?.ToJsonString()}");
        Assert.True(issueStatus >= 500, $"a TokenRequest with the database down answered {issueStatus}");
        Assert.Equal("Status", issueBody?["kind"]?.GetValue<string>());

        // The balancer: every replica's /readyz now fails, and it still sends to them (YARP's HealthyOrPanic), so a review
        // through it is a precise refusal, never an acceptance, and discovery and JWKS still answer from memory.
        var (balancedStatus, balanced) = await cluster.SendTokenReviewAsync(client, cluster.Balancer, token);
        Assert.True(balancedStatus == 201 && !RunningCluster.IsAuthenticated(balanced!["status"]!), $"through the balancer: {balancedStatus} {balanced?.ToJsonString()}");
        var (jwksStatus, jwks) = await cluster.SendAsync(client, cluster.Balancer, HttpMethod.Get, "/openid/v1/jwks");
        Assert.True(jwksStatus == 200 && jwks?["keys"]?.AsArray().Count > 0, $"JWKS through the balancer with the database down: {jwksStatus} {jwks?.ToJsonString()}");

        // Back: every replica accepts the token again, by itself (same processes), and listens again.
        await cluster.StartDatabaseAsync();
        var restarted = Stopwatch.StartNew();
        var recoveredAfter = new TimeSpan[replicas.Count];
        for (var i = 0; i < replicas.Count; i++)
        {
            while (!RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, replicas[i], token)))
            {
                Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(30), $"{replicas[i]} has not recovered 30 s after the database came back");
                await Task.Delay(50);
            }

            recoveredAfter[i] = restarted.Elapsed;
        }

        Assert.Equal(pids, cluster.Pids);
        Assert.All(pids, pid => Assert.False(Process.GetProcessById(pid).HasExited));

        // Re-listening: wait until each listener says it listens again, then a deletion through C reaches A and B at once.
        await WaitForListenersAsync(cluster, replicas.Count);
        await cluster.DeletePodAsync(client, replicas[2], "web-0");
        var deleted = Stopwatch.StartNew();
        var seenAfter = new List<TimeSpan>();
        foreach (var replica in replicas.Take(2))
        {
            while (RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, replica, token)))
            {
                Assert.True(deleted.Elapsed < TimeSpan.FromSeconds(1), $"{replica} still accepts the token of a pod deleted through another replica after the database restart:\n{cluster.Logs()}");
            }

            seenAfter.Add(deleted.Elapsed);
        }

        output.WriteLine(
            $"Database stopped: refused after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))} ({string.Join(" | ", downAnswers.Distinct())}); " +
            $"started: accepted again after {string.Join(", ", recoveredAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; " +
            $"a deletion after the restart refused by A after {seenAfter[0].TotalMilliseconds:F0} ms and B after {seenAfter[1].TotalMilliseconds:F0} ms");
    }

    private static async Task WaitForListenersAsync(RunningCluster cluster, int replicas)
    {
        var deadline = Stopwatch.StartNew();
        for (var n = 1; n <= replicas; n++)
        {
            var log = Path.Combine(cluster.Directory, $"replica-{n}.log");
            // Event 7002, "Listening for changes …": once at start, once more after the reconnection.
            while (File.ReadAllLines(log).Count(l => l.Contains("PostgreSqlChangeListener[7002]", StringComparison.Ordinal)) < 2)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"replica-{n} does not listen again:\n{cluster.Logs()}");
                await Task.Delay(50);
            }
        }
    }
}
