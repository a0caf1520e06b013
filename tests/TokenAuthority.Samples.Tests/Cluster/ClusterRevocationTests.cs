using System.Diagnostics;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// A compromised signing key revoked through one replica's admin API: every replica stops publishing it and refuses
/// its tokens within a second (the PostgreSQL ring's notification), and all sign with the successor from then on.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterRevocationTests(ITestOutputHelper output)
{
    private const string KeysPath = "/apis/tokenauthority.dev/v1/keys";

    [Fact]
    public async Task A_signing_key_revoked_through_C_is_dropped_by_A_and_B_within_a_second_and_its_tokens_are_refused_everywhere()
    {
        await using var cluster = await RunningCluster.StartAsync(output);
        using var client = cluster.Client();
        var (a, b, c) = (cluster.Replicas[0], cluster.Replicas[1], cluster.Replicas[2]);
        var tokens = new List<string>();
        foreach (var replica in cluster.Replicas)
        {
            tokens.Add(await cluster.RequestTokenAsync(client, replica, pod: null));
        }

        var compromised = RunningCluster.KeyIdOf(tokens[0]);
        Assert.All(tokens, t => Assert.Equal(compromised, RunningCluster.KeyIdOf(t)));
        foreach (var replica in cluster.Replicas)
        {
            Assert.True(RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, replica, tokens[1])), $"{replica} refused a good token before the revocation");
        }

        // An unknown key: 404 with a Status that says where to look.
        var (unknownStatus, unknown) = await cluster.SendAsync(client, c, HttpMethod.Post, $"{KeysPath}/no-such-kid/revoke", "{}");
        Assert.Equal(404, unknownStatus);
        Assert.Equal("Status", unknown?["kind"]?.GetValue<string>());

        var (status, body) = await cluster.SendAsync(client, c, HttpMethod.Post, $"{KeysPath}/{compromised}/revoke", "{}");
        var revoked = Stopwatch.StartNew();
        Assert.True(status == 200, $"{status} {body?.ToJsonString()}");
        Assert.Equal(compromised, body!["revocation"]!["kid"]!.GetValue<string>());
        var successor = body["revocation"]!["signingKid"]!.GetValue<string>();
        output.WriteLine(body["revocation"]!["message"]!.GetValue<string>());

        // A and B: the key leaves their JWKS and their verification sets; every token it signed is refused.
        var dropped = new List<TimeSpan>();
        foreach (var replica in (Uri[])[a, b])
        {
            while (true)
            {
                var (_, jwks) = await cluster.SendAsync(client, replica, HttpMethod.Get, "/openid/v1/jwks");
                var kids = jwks!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
                if (!kids.Contains(compromised))
                {
                    dropped.Add(revoked.Elapsed);
                    break;
                }

                Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"{replica} still publishes the revoked key {revoked.Elapsed} after the revocation");
                await Task.Delay(10);
            }
        }

        foreach (var replica in cluster.Replicas)
        {
            foreach (var token in tokens)
            {
                var review = await cluster.ReviewAsync(client, replica, token);
                Assert.False(RunningCluster.IsAuthenticated(review), $"{replica} accepted a token of the revoked key: {review.ToJsonString()}");
            }

            var fresh = await cluster.RequestTokenAsync(client, replica, pod: null);
            Assert.Equal(successor, RunningCluster.KeyIdOf(fresh));
            Assert.True(RunningCluster.IsAuthenticated(await cluster.ReviewAsync(client, a, fresh)));
        }

        output.WriteLine($"the revoked key left A's JWKS after {dropped[0].TotalMilliseconds:F0} ms and B's after {dropped[1].TotalMilliseconds:F0} ms");
    }
}
