using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13: one replica killed with SIGKILL while clients issue and verify through the balancer. The other replicas
/// keep serving; no token is accepted that should be refused and none refused that should be accepted; a request that
/// was on its way to the dead replica is sent to another (the balancer's retry), so clients see no error either.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterReplicaCrashTests(ITestOutputHelper output)
{
    private const int Clients = 16;
    private const int PodsEach = 12;
    private static readonly TimeSpan BeforeKill = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Killing_a_replica_under_load_through_the_balancer_causes_no_wrong_answer_and_no_error()
    {
        await using var cluster = await RunningCluster.StartAsync(output);
        using var setup = cluster.Client();

        // Live pods (their tokens must be accepted) and deleted pods (their tokens must be refused), each with a token.
        var live = new List<string>();
        var dead = new List<string>();
        for (var i = 0; i < PodsEach; i++)
        {
            await cluster.CreatePodAsync(setup, cluster.Balancer, $"live-{i}");
            live.Add(await cluster.RequestTokenAsync(setup, cluster.Balancer, $"live-{i}"));
            await cluster.CreatePodAsync(setup, cluster.Balancer, $"gone-{i}");
            dead.Add(await cluster.RequestTokenAsync(setup, cluster.Balancer, $"gone-{i}"));
        }

        for (var i = 0; i < PodsEach; i++)
        {
            await cluster.DeletePodAsync(setup, cluster.Balancer, $"gone-{i}");
        }

        // Clients: reviews of live and dead tokens, and TokenRequests for live pods, all through the balancer.
        var counts = new Counts();
        using var stop = new CancellationTokenSource();
        var killed = new TaskCompletionSource<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(n => Task.Run(async () =>
        {
            using var client = cluster.Client();
            var random = new Random(n);
            while (!stop.IsCancellationRequested)
            {
                var afterKill = killed.Task.IsCompleted;
                var i = random.Next(PodsEach);
                switch (random.Next(5))
                {
                    case 0:
                        await counts.RecordAsync(afterKill, "TokenRequest", () => Issue(cluster, client, $"live-{i}"));
                        break;
                    case 1 or 2:
                        await counts.RecordAsync(afterKill, "review of a live pod's token", () => Review(cluster, client, live[i], expectAccepted: true));
                        break;
                    default:
                        await counts.RecordAsync(afterKill, "review of a deleted pod's token", () => Review(cluster, client, dead[i], expectAccepted: false));
                        break;
                }
            }
        })).ToArray();

        await Task.Delay(BeforeKill);
        var victim = cluster.Pids[1];
        cluster.KillReplica(1);
        killed.SetResult(clock.Elapsed);
        await Task.Delay(AfterKill);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        await cluster.WaitForOutputAsync($"replica-2 (pid {victim}) exited (137); the others keep serving.", TimeSpan.FromSeconds(10));
        var balancerLog = await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "loadbalancer.log"));
        var retried = balancerLog.Split('\n').Count(l => l.Contains("failed before any answer", StringComparison.Ordinal) && l.Contains("sent to", StringComparison.Ordinal));
        output.WriteLine(
            $"{Clients} clients, replica-2 killed after {(await killed.Task).TotalSeconds:F1} s: {counts.Before} requests before, {counts.After} after; " +
            $"wrong accepts {counts.WrongAccepts}, wrong refusals {counts.WrongRefusals}, errors {counts.Errors}; requests the balancer sent to another replica: {retried}");
        Assert.True(counts.After > 100, $"only {counts.After} requests were answered after the kill");
        var notRetried = string.Join('\n', balancerLog.Split('\n').Where(l => l.Contains("not retried", StringComparison.Ordinal)));
        Assert.True(counts.Failures.Length == 0, $"{counts.Failures}\nthe balancer's log:\n{notRetried}");
        Assert.Equal(0, counts.WrongAccepts);
        Assert.Equal(0, counts.WrongRefusals);
        Assert.Equal(0, counts.Errors);

        // The last two replicas killed too: the balancer tries each and answers for them with a Kubernetes Status.
        cluster.KillReplica(0);
        cluster.KillReplica(2);
        using var last = cluster.Client();
        var (status, body) = await cluster.SendTokenReviewAsync(last, cluster.Balancer, live[0]);
        Assert.Equal(502, status);
        Assert.Equal("Status", body?["kind"]?.GetValue<string>());
        Assert.Equal(502, body?["code"]?.GetValue<int>());
        Assert.StartsWith("the Authority replica failed before answering and no other replica could take the request", body?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<Outcome> Issue(RunningCluster cluster, HttpClient client, string pod)
    {
        var (status, body) = await cluster.SendTokenRequestAsync(client, cluster.Balancer, pod);
        return status == 201 && body?["status"]?["token"] is not null ? Outcome.Right : Outcome.Error($"TokenRequest answered {status}: {body?.ToJsonString()}");
    }

    private static async Task<Outcome> Review(RunningCluster cluster, HttpClient client, string token, bool expectAccepted)
    {
        var (status, body) = await cluster.SendTokenReviewAsync(client, cluster.Balancer, token);
        if (status != 201 || body?["status"] is not JsonNode review)
        {
            return Outcome.Error($"TokenReview answered {status}: {body?.ToJsonString()}");
        }

        var accepted = RunningCluster.IsAuthenticated(review);
        return (accepted, expectAccepted) switch
        {
            (true, false) => Outcome.WrongAccept(review.ToJsonString()),
            (false, true) => Outcome.WrongRefusal(review.ToJsonString()),
            (false, false) when review["error"]?.GetValue<string>().Contains("service account token has been invalidated", StringComparison.Ordinal) != true =>
                Outcome.Error($"refused for another reason than the deletion: {review.ToJsonString()}"),
            _ => Outcome.Right,
        };
    }

    private sealed record Outcome(int Kind, string Detail)
    {
        public static readonly Outcome Right = new(0, string.Empty);

        public static Outcome WrongAccept(string detail) => new(1, detail);

        public static Outcome WrongRefusal(string detail) => new(2, detail);

        public static Outcome Error(string detail) => new(3, detail);
    }

    private sealed class Counts
    {
        private int _before;
        private int _after;
        private int _wrongAccepts;
        private int _wrongRefusals;
        private int _errors;

        public int Before => _before;

        public int After => _after;

        public int WrongAccepts => _wrongAccepts;

        public int WrongRefusals => _wrongRefusals;

        public int Errors => _errors;

        public StringBuilder Failures { get; } = new();

        public async Task RecordAsync(bool afterKill, string what, Func<Task<Outcome>> call)
        {
            Outcome outcome;
            try
            {
                outcome = await call();
            }
            catch (HttpRequestException ex)
            {
                outcome = Outcome.Error(ex.Message);
            }

            if (afterKill)
            {
                Interlocked.Increment(ref _after);
            }
            else
            {
                Interlocked.Increment(ref _before);
            }

            if (outcome.Kind == 0)
            {
                return;
            }

            if (outcome.Kind == 1)
            {
                Interlocked.Increment(ref _wrongAccepts);
            }
            else if (outcome.Kind == 2)
            {
                Interlocked.Increment(ref _wrongRefusals);
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }

            lock (Failures)
            {
                if (Failures.Length < 4000)
                {
                    Failures.Append(afterKill ? "after the kill, " : "before the kill, ").Append(what).Append(": ").AppendLine(outcome.Detail);
                }
            }
        }
    }
}
