using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13: a rotation through one replica's admin API, on a short timeline (JWKS max-age 9 s, refresh 1 s, so a new
/// key may sign 10 s after it is published). Every replica's JWKS is polled and a token is issued through every replica
/// until all sign with the new key: every replica must publish a key before any replica signs with it, tokens of the
/// old keys keep verifying on every replica, and every replica's view of the ring is the same.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterRotationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_rotation_through_one_replica_is_published_by_every_replica_before_any_signs_with_it_and_old_tokens_verify_everywhere()
    {
        await using var cluster = await RunningCluster.StartAsync(output, null,
            "--TokenAuthority:Keys:JwksMaxAge", "00:00:09", "--TokenAuthority:Keys:RefreshInterval", "00:00:01",
            "--TokenAuthority:Keys:RotationInterval", "00:10:00");
        using var client = cluster.Client();
        var replicas = cluster.Replicas;
        Assert.Equal(3, replicas.Count);
        var rotator = replicas[2];

        // Before: one signing key everywhere; a token issued through each replica.
        var oldTokens = new List<(Uri Replica, string Token)>();
        foreach (var replica in replicas)
        {
            oldTokens.Add((replica, await cluster.RequestTokenAsync(client, replica, pod: null)));
        }

        var oldKid = Assert.Single(oldTokens.Select(t => RunningCluster.KeyIdOf(t.Token)).Distinct());
        output.WriteLine($"Before the rotations every replica signs with {oldKid}.");

        // The first rotation activates the successor prepared at start and prepares a new one (its timeline shows when each
        // replica publishes that new key); the second activates the new one, which every replica publishes but none has
        // published for the lead yet, so it signs only later, at the same moment on every replica.
        var first = await RotateAndWatchAsync(cluster, client, rotator, "first rotation");
        var second = await RotateAndWatchAsync(cluster, client, rotator, "second rotation");
        Assert.NotEqual(oldKid, first.Kid);
        Assert.NotEqual(first.Kid, second.Kid);
        Assert.False(second.Immediate, "the second rotation's key should have been published for less than the lead (10 s), so that the timeline shows the wait");

        // Tokens signed with the earlier keys, issued through each replica, still verify on every replica.
        foreach (var (issuedBy, token) in oldTokens.Concat(first.Tokens))
        {
            foreach (var replica in replicas)
            {
                var review = await cluster.ReviewAsync(client, replica, token);
                Assert.True(review["authenticated"]?.GetValue<bool>() == true,
                    $"a token signed with {RunningCluster.KeyIdOf(token)} and issued through {issuedBy} is refused by {replica} after every replica signs with {second.Kid}: {review.ToJsonString()}");
            }
        }

        // Every replica's admin view holds the same ring: the old keys retired, the last rotation's key the one active key.
        var rings = await AgreedRingsAsync(cluster, client);
        var ring = rings[0];
        output.WriteLine($"The ring on every replica: {string.Join(", ", ring.Select(k => $"{k.Kid} {k.State}"))}");
        Assert.Equal("Active", Assert.Single(ring, k => k.State == "Active").State);
        Assert.Contains((second.Kid, "Active"), ring);
        Assert.Contains((first.Kid, "Retired"), ring);
        Assert.Contains((oldKid, "Retired"), ring);
    }

    /// <summary>
    /// Rotates through <paramref name="rotator"/> while every replica's JWKS is polled and a token is issued through every
    /// replica (from before the call until all sign with the rotation's key); checks publish-before-sign on the measured
    /// times and prints the timeline.
    /// </summary>
    private async Task<(string Kid, bool Immediate, List<(Uri Replica, string Token)> Tokens)> RotateAndWatchAsync(
        RunningCluster cluster, HttpClient client, Uri rotator, string name)
    {
        var replicas = cluster.Replicas;
        var clock = Stopwatch.StartNew();

        // Times are conservative for the claim: a key counts as published when the JWKS answer that lists it arrived,
        // and as signing from the moment the TokenRequest whose token it signed was sent.
        var published = replicas.Select(_ => new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal)).ToArray();
        var signed = replicas.Select(_ => new ConcurrentDictionary<string, (TimeSpan Sent, string Token)>(StringComparer.Ordinal)).ToArray();
        var rotated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var polls = 0;
        var poller = Task.Run(async () =>
        {
            while (true)
            {
                await Task.WhenAll(replicas.Select(async (replica, i) =>
                {
                    var jwks = await cluster.SendAsync(client, replica, HttpMethod.Get, "/openid/v1/jwks");
                    var arrived = clock.Elapsed;
                    Assert.True(jwks.Status == 200, $"{replica} JWKS answered {jwks.Status}");
                    foreach (var key in jwks.Body!["keys"]!.AsArray())
                    {
                        published[i].TryAdd(key!["kid"]!.GetValue<string>(), arrived);
                    }
                }).Concat(replicas.Select(async (replica, i) =>
                {
                    var sent = clock.Elapsed;
                    var token = await cluster.RequestTokenAsync(client, replica, pod: null);
                    signed[i].TryAdd(RunningCluster.KeyIdOf(token), (sent, token));
                })));
                polls++;
                firstRound.TrySetResult();
                if (rotated.Task.IsFaulted || (rotated.Task.IsCompletedSuccessfully && signed.All(s => s.ContainsKey(rotated.Task.Result))))
                {
                    return;
                }

                Assert.True(clock.Elapsed < PhaseTimeout, $"{name}: not every replica signs with the new key after {PhaseTimeout}: {string.Join("; ", signed.Select((s, i) => $"replica-{i + 1} signed with {string.Join(", ", s.Keys)}"))}\n{cluster.Logs()}");
                await Task.Delay(PollPause);
            }
        });

        // The call, once every replica's JWKS has been read at least once.
        await await Task.WhenAny(firstRound.Task, poller);
        var called = clock.Elapsed;
        var (status, body) = await cluster.SendAsync(client, rotator, HttpMethod.Post, "/apis/tokenauthority.dev/v1/keys/rotate");
        var answered = clock.Elapsed - called;
        if (status != 200)
        {
            rotated.SetException(new InvalidOperationException("the rotation failed"));
        }

        Assert.True(status == 200, $"{name} through {rotator} answered {status}: {body?.ToJsonString()}");
        var rotation = body!["rotation"]!;
        var kid = rotation["kid"]!.GetValue<string>();
        rotated.SetResult(kid);
        await poller;

        var publishedAt = published.Select(p => p.TryGetValue(kid, out var t) ? t - called : (TimeSpan?)null).ToArray();
        var signedAt = signed.Select(s => s[kid].Sent - called).ToArray();
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"Timeline of the {name} through replica-{replicas.ToList().IndexOf(rotator) + 1} (key {kid}), from the rotation call (negative: before it): answered at {Ms(answered)}");
        for (var i = 0; i < replicas.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  replica-{i + 1}: publishes at {Ms(publishedAt[i])}, first signs at {Ms(signedAt[i])}");
        }

        // Keys that no replica listed before the call (the successor the rotation prepares): when each replica publishes them.
        foreach (var added in published.SelectMany(p => p).Where(p => p.Value > called).Select(p => p.Key).Distinct().Where(k => k != kid && published.All(p => !p.TryGetValue(k, out var t) || t > called)))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  new key {added}: published by {string.Join(", ", published.Select((p, i) => $"replica-{i + 1} at {Ms(p.TryGetValue(added, out var t) ? t - called : null)}"))}");
        }

        var immediate = rotation["immediate"]!.GetValue<bool>();
        text.Append(CultureInfo.InvariantCulture, $"\n  ({polls} polls of 3 JWKS and 3 TokenRequests; the rotation answered immediate={immediate}: {rotation["message"]})");
        output.WriteLine(text.ToString());

        // Publish before sign, across replicas: the last replica to publish did so before the first signature anywhere.
        Assert.All(publishedAt, p => Assert.True(p is not null, $"{name}: a replica signs with {kid} but never listed it in its JWKS.\n{text}"));
        Assert.True(publishedAt.Max() < signedAt.Min(),
            $"{name}: a replica signed with {kid} at {Ms(signedAt.Min())} before every replica published it (the last at {Ms(publishedAt.Max())}).\n{text}");
        return (kid, immediate, [.. signed.Select((s, i) => (replicas[i], s[kid].Token))]);
    }

    /// <summary>Every replica's <c>GET keys</c>, asked until all list the same kids in the same states (a refresh interval or two).</summary>
    private static async Task<List<(string Kid, string State)>[]> AgreedRingsAsync(RunningCluster cluster, HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rings = await Task.WhenAll(cluster.Replicas.Select(async replica =>
            {
                var (status, body) = await cluster.SendAsync(client, replica, HttpMethod.Get, "/apis/tokenauthority.dev/v1/keys");
                Assert.True(status == 200, $"GET keys on {replica} answered {status}: {body?.ToJsonString()}");
                return body!["keys"]!.AsArray().Select(k => (Kid: k!["kid"]!.GetValue<string>(), State: k["state"]!.GetValue<string>())).OrderBy(k => k.Kid, StringComparer.Ordinal).ToList();
            }));
            if (rings.All(r => r.SequenceEqual(rings[0])) || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                Assert.True(rings.All(r => r.SequenceEqual(rings[0])),
                    "the replicas disagree on the ring after 5 s:\n" + string.Join('\n', rings.Select((r, i) => $"  {cluster.Replicas[i]}: {string.Join(", ", r.Select(k => $"{k.Kid} {k.State}"))}")));
                return rings;
            }

            await Task.Delay(200);
        }
    }

    private static string Ms(TimeSpan? time) => time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:F0} ms") : "never";
}
