using System.Diagnostics;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13: three replicas from <c>samples/cluster/run.sh</c> on one PostgreSQL. A token issued through one replica
/// verifies on the others, and a pod deleted through a third is refused by both, though both had it cached.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterInvalidationTests(ITestOutputHelper output)
{
    private const string Invalidated = "service account token has been invalidated";
    private const int Deletions = 100;

    [Fact]
    public async Task A_token_issued_through_A_verifies_on_B_and_C_and_a_pod_deleted_through_C_is_refused_by_A_and_B_within_a_second()
    {
        await using var cluster = await RunningCluster.StartAsync(output);
        using var client = cluster.Client();
        var (a, b, c) = (cluster.Replicas[0], cluster.Replicas[1], cluster.Replicas[2]);

        // Pods created through C, tokens issued through A; every replica accepts every token (and so caches its pod).
        var pods = Enumerable.Range(0, Deletions).Select(i => $"web-{i}").ToArray();
        foreach (var pod in pods)
        {
            await cluster.CreatePodAsync(client, c, pod);
        }

        var tokens = new string[Deletions];
        for (var i = 0; i < Deletions; i++)
        {
            tokens[i] = await cluster.RequestTokenAsync(client, a, pods[i]);
            foreach (var replica in (Uri[])[a, b, c])
            {
                var review = await cluster.ReviewAsync(client, replica, tokens[i]);
                Assert.True(review["authenticated"]?.GetValue<bool>() == true, $"{replica}: {review.ToJsonString()}");
            }
        }

        // Each pod deleted through C; then A and B are asked until both refuse its token.
        var delays = new List<TimeSpan>();
        var refusedOnTheFirstRequest = 0;
        for (var i = 0; i < Deletions; i++)
        {
            await cluster.DeletePodAsync(client, c, pods[i]);
            var deleted = Stopwatch.StartNew();
            var first = true;
            while (true)
            {
                var reviews = await Task.WhenAll(cluster.ReviewAsync(client, a, tokens[i]), cluster.ReviewAsync(client, b, tokens[i]));
                if (reviews.All(r => r["authenticated"] is null && r["error"]?.GetValue<string>().Contains(Invalidated, StringComparison.Ordinal) == true))
                {
                    delays.Add(deleted.Elapsed);
                    refusedOnTheFirstRequest += first ? 1 : 0;
                    break;
                }

                first = false;
                Assert.True(deleted.Elapsed < TimeSpan.FromSeconds(5), $"pod {pods[i]} deleted through C is still accepted after 5 s: {reviews[0].ToJsonString()} {reviews[1].ToJsonString()}");
            }
        }

        var worst = delays.Max();
        output.WriteLine(
            $"Deletion through C until A and B both refuse, over {Deletions} deletions: worst {worst.TotalMilliseconds:F1} ms, " +
            $"mean {delays.Average(d => d.TotalMilliseconds):F1} ms, median {delays.Order().ElementAt(Deletions / 2).TotalMilliseconds:F1} ms; " +
            $"refused on the first request after the delete: {refusedOnTheFirstRequest}/{Deletions}");
        Assert.True(worst < TimeSpan.FromSeconds(1), $"the worst delay was {worst.TotalMilliseconds} ms");

        // C, which made the change, refuses at once.
        Assert.Contains(Invalidated, (await cluster.ReviewAsync(client, c, tokens[^1]))["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
