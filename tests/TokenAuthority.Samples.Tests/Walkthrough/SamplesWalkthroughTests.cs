using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Walkthrough;

/// <summary>
/// The walkthrough of docs/samples.md with both samples as real processes: create a pod, request a token
/// bound to it, call OrdersApi, delete the pod, watch the bound check refuse; then restart the Authority and
/// check that objects, keys and earlier tokens survived.
/// </summary>
public sealed class SamplesWalkthroughTests(ITestOutputHelper output)
{
    private const string Invalidated = "Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"";

    private const string AudienceRefused = "Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"billing\\\"] is invalid for the target audiences [\\\"orders\\\"]\"";

    [Fact]
    public async Task Walkthrough_over_http_then_a_restart_keeps_objects_keys_and_tokens()
    {
        using var samples = new RunningSamples(output);
        await samples.StartAuthorityAsync();
        await samples.StartOrdersApiAsync();
        var authority = samples.AuthorityUrl.GetLeftPart(UriPartial.Authority);

        // First start: every file exists, secrets are owner-only, the log says how to use kubectl.
        var kubeconfigPath = samples.Data.Combine("kubeconfig");
        foreach (var file in new[] { "objects.db", "keys/ring.json", "tls.crt", "tls.key", "admin.token", "reviewer.token", "kubeconfig" })
        {
            Assert.True(File.Exists(samples.Data.Combine(file)), $"{file} was not created");
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var secret in Directory.GetFiles(samples.Data.Combine("keys"), "*.key").Concat(new[] { "tls.key", "admin.token", "reviewer.token", "kubeconfig" }.Select(samples.Data.Combine)))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
            }
        }

        Assert.Contains($"kubectl --kubeconfig {kubeconfigPath} create token default", samples.Authority!.Output, StringComparison.Ordinal);
        var kubeconfig = JsonNode.Parse(File.ReadAllText(kubeconfigPath))!;
        Assert.Equal(authority, kubeconfig["clusters"]![0]!["cluster"]!["server"]!.GetValue<string>());
        Assert.Equal(samples.AdminToken, kubeconfig["users"]![0]!["user"]!["token"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(samples.CertificateAuthorityFile),
            System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(kubeconfig["clusters"]![0]!["cluster"]!["certificate-authority-data"]!.GetValue<string>())));

        // Anonymous: health, discovery, JWKS. Everything else needs the admin token.
        using (var anonymous = samples.AnonymousAuthorityClient())
        {
            var discovery = JsonNode.Parse(await anonymous.GetStringAsync(new Uri(samples.AuthorityUrl, "/.well-known/openid-configuration")))!;
            Assert.Equal(authority, discovery["issuer"]!.GetValue<string>());
            var openApi = JsonNode.Parse(await anonymous.GetStringAsync(new Uri(samples.AuthorityUrl, "/openapi/v1.json")))!;
            foreach (var path in new[] { "/api/v1/namespaces/{namespace}/pods", "/api/v1/nodes/{name}", "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token", "/apis/authentication.k8s.io/v1/tokenreviews", "/openid/v1/jwks" })
            {
                Assert.True(openApi["paths"]![path] is not null, $"the OpenAPI document does not describe {path}");
            }

            using var pods = await anonymous.GetAsync(new Uri(samples.AuthorityUrl, "/api/v1/namespaces/default/pods"));
            Assert.Equal(401, (int)pods.StatusCode);
            Assert.Equal("Status", (await RunningSamples.ReadJsonAsync(pods))!["kind"]!.GetValue<string>());
        }

        using (var wrongToken = samples.AnonymousAuthorityClient(samples.AdminToken + "x"))
        using (var refused = await wrongToken.GetAsync(new Uri(samples.AuthorityUrl, "/api/v1/namespaces/default/pods")))
        {
            Assert.Equal(401, (int)refused.StatusCode);
        }

        var keyIdBefore = await KeyIdsAsync(samples);

        // Step 1: create pods (web-0 will be deleted, web-1 survives the restart).
        var (created, pod0) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"},"spec":{"nodeName":"node-1"}}""");
        Assert.Equal(201, created);
        Assert.Equal("default", pod0!["spec"]!["serviceAccountName"]!.GetValue<string>());
        var (created1, pod1) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-1"}}""");
        Assert.Equal(201, created1);
        var pod1Uid = pod1!["metadata"]!["uid"]!.GetValue<string>();

        var (again, conflict) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"}}""");
        Assert.Equal(409, again);
        Assert.Equal("AlreadyExists", conflict!["reason"]!.GetValue<string>());
        var (invalid, status) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"Web_0"}}""");
        Assert.Equal(422, invalid);
        Assert.Equal("metadata.name", status!["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        // Step 2: tokens for service account default, audience orders, bound to the pods.
        var token0 = await samples.RequestPodBoundTokenAsync("web-0");
        var token1 = await samples.RequestPodBoundTokenAsync("web-1");

        // Step 3: OrdersApi accepts them on both endpoints and says who called.
        var (ok, orders) = await samples.GetOrdersAsync("/orders", token0);
        Assert.True(ok == 200, $"/orders answered {ok}: {orders?.ToJsonString()}");
        AssertCaller(orders!, "oidc-discovery", "web-0", pod0!["metadata"]!["uid"]!.GetValue<string>(), node: "node-1");
        var (okBound, bound) = await samples.GetOrdersAsync("/orders/bound", token0);
        Assert.True(okBound == 200, $"/orders/bound answered {okBound}: {bound?.ToJsonString()}");
        AssertCaller(bound!, "token-review", "web-0", pod0!["metadata"]!["uid"]!.GetValue<string>(), node: "node-1");

        // No token, or a token for another audience: refused by both, each for that reason.
        Assert.Equal((401, "Bearer"), await samples.GetOrdersChallengeAsync("/orders", null));
        Assert.Equal((401, "Bearer"), await samples.GetOrdersChallengeAsync("/orders/bound", null));
        var billing = await samples.RequestPodBoundTokenAsync("web-1", audience: "billing");
        Assert.Equal((401, AudienceRefused), await samples.GetOrdersChallengeAsync("/orders", billing)); // the same words on both paths
        Assert.Equal((401, AudienceRefused), await samples.GetOrdersChallengeAsync("/orders/bound", billing));

        // Step 4: delete the pod. The bound check (TokenReview) refuses its token from the next request on;
        // the stateless check still accepts it until it expires, because a signature cannot know about deletions.
        Assert.Equal(200, (await samples.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/web-0")).Status);
        Assert.Equal(404, (await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web-0")).Status);
        Assert.Equal((401, Invalidated), await samples.GetOrdersChallengeAsync("/orders/bound", token0));
        Assert.Equal(200, (await samples.GetOrdersAsync("/orders", token0)).Status);
        var (reviewed, review) = await samples.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token0}}}","audiences":["orders"]}}""");
        Assert.Equal(201, reviewed);
        Assert.Null(review!["status"]!["authenticated"]);
        Assert.Equal("[invalid bearer token, service account token has been invalidated]", review["status"]!["error"]!.GetValue<string>());

        // Step 5: restart the Authority (killed, like a crash) on the same port and data directory.
        var adminToken = samples.AdminToken;
        var reviewerToken = samples.ReviewerToken;
        Assert.NotEqual(adminToken, reviewerToken);
        var certificate = File.ReadAllText(samples.CertificateAuthorityFile);
        await samples.RestartAuthorityAsync();

        Assert.Equal(adminToken, samples.AdminToken);
        Assert.Equal(reviewerToken, samples.ReviewerToken);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(samples.Data.Combine("reviewer.token")));
        }
        Assert.Equal(certificate, File.ReadAllText(samples.CertificateAuthorityFile));
        Assert.Equal(keyIdBefore, await KeyIdsAsync(samples));
        var (found, web1) = await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web-1");
        Assert.Equal(200, found);
        Assert.Equal(pod1Uid, web1!["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(404, (await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web-0")).Status);

        // The token issued before the restart still verifies, statelessly and through TokenReview.
        Assert.Equal(200, (await samples.GetOrdersAsync("/orders", token1)).Status);
        var (afterRestart, caller) = await samples.GetOrdersAsync("/orders/bound", token1);
        Assert.True(afterRestart == 200, $"/orders/bound after restart answered {afterRestart}: {caller?.ToJsonString()}");
        AssertCaller(caller!, "token-review", "web-1", pod1Uid);
        Assert.Equal((401, Invalidated), await samples.GetOrdersChallengeAsync("/orders/bound", token0));

        // Nothing secret was ever logged.
        foreach (var process in new[] { samples.Authority!, samples.OrdersApi! })
        {
            Assert.DoesNotContain(adminToken, process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(reviewerToken, process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", process.Output, StringComparison.Ordinal);
        }
    }

    [KubectlFact]
    public async Task Kubectl_create_token_from_the_generated_kubeconfig_is_accepted_by_OrdersApi()
    {
        using var samples = new RunningSamples(output);
        await samples.StartAuthorityAsync();
        await samples.StartOrdersApiAsync();
        var (created, pod) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"}}""");
        Assert.Equal(201, created);

        using var cache = new TemporaryDirectory();
        var (exitCode, token, errors) = await Kubectl.RunAsync(
            "--kubeconfig", samples.Data.Combine("kubeconfig"), "--cache-dir", cache.Path,
            "create", "token", "default", "--audience", "orders", "--bound-object-kind", "Pod", "--bound-object-name", "web-0");
        Assert.True(exitCode == 0, $"kubectl failed ({exitCode}): {errors}");

        var (ok, bound) = await samples.GetOrdersAsync("/orders/bound", token.Trim());
        Assert.True(ok == 200, $"/orders/bound answered {ok}: {bound?.ToJsonString()}");
        AssertCaller(bound!, "token-review", "web-0", pod!["metadata"]!["uid"]!.GetValue<string>());

        // A pod that does not exist: kubectl shows the server's message.
        var (failed, _, message) = await Kubectl.RunAsync(
            "--kubeconfig", samples.Data.Combine("kubeconfig"), "--cache-dir", cache.Path,
            "create", "token", "default", "--audience", "orders", "--bound-object-kind", "Pod", "--bound-object-name", "web-9");
        Assert.Equal(1, failed);
        Assert.Equal("error: failed to create token: pods \"web-9\" not found\n", message);
    }

    private static void AssertCaller(JsonNode body, string verifiedBy, string pod, string podUid, string? node = null)
    {
        var caller = body["caller"]!;
        Assert.Equal(verifiedBy, caller["verifiedBy"]!.GetValue<string>());
        Assert.Equal("system:serviceaccount:default:default", caller["username"]!.GetValue<string>());
        Assert.Equal("default", caller["serviceAccount"]!["name"]!.GetValue<string>());
        Assert.Equal("default", caller["serviceAccount"]!["namespace"]!.GetValue<string>());
        Assert.Equal(pod, caller["pod"]!["name"]!.GetValue<string>());
        Assert.Equal(podUid, caller["pod"]!["uid"]!.GetValue<string>());

        // Both schemes give the same model of the caller: the bound object with its kind, the pod's node.
        Assert.Equal("Pod", caller["boundObject"]!["kind"]!.GetValue<string>());
        Assert.Equal(pod, caller["boundObject"]!["name"]!.GetValue<string>());
        Assert.Equal(podUid, caller["boundObject"]!["uid"]!.GetValue<string>());
        Assert.Equal(node, caller["node"]?["name"]?.GetValue<string>());
        Assert.NotEmpty(body["orders"]!.AsArray());
    }

    private static async Task<string> KeyIdsAsync(RunningSamples samples)
    {
        using var anonymous = samples.AnonymousAuthorityClient();
        var jwks = JsonNode.Parse(await anonymous.GetStringAsync(new Uri(samples.AuthorityUrl, "/openid/v1/jwks")))!;
        var ids = jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(ids);
        return string.Join(",", ids);
    }
}
