using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// The Authority authenticates its own service-account tokens, as kube-apiserver does: a token issued for the API
/// audience (the issuer) may get and list pods and service accounts of its own namespace and nothing else (403 with the
/// API server's text); a token for another audience, or one whose bound pod is gone, is 401; the admin token keeps
/// full access.
/// </summary>
public sealed class ServiceAccountTokenTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private const string DefaultUser = "system:serviceaccount:default:default";

    private RunningSamples Samples => fixture.Samples;

    [KubectlFact]
    public async Task A_kubectl_create_token_default_token_lists_the_pods_of_its_namespace()
    {
        await CreateAsync("/api/v1/namespaces/default/pods", "listed-0");
        using var cache = new TemporaryDirectory();
        var (exitCode, token, errors) = await Kubectl.RunAsync("--kubeconfig", Samples.Data.Combine("kubeconfig"), "--cache-dir", cache.Path, "create", "token", "default");
        Assert.True(exitCode == 0, $"kubectl failed ({exitCode}): {errors}");

        var (code, body) = await SendAsync(token.Trim(), HttpMethod.Get, "/api/v1/namespaces/default/pods");
        Assert.True(code == 200, $"GET pods answered {code}: {body?.ToJsonString()}");
        Assert.Equal("PodList", body!["kind"]!.GetValue<string>());
        Assert.Contains("listed-0", body["items"]!.AsArray().Select(item => item!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_service_account_reads_pods_and_service_accounts_of_its_own_namespace_only()
    {
        await CreateAsync("/api/v1/namespaces/team-r/serviceaccounts", "reader");
        await CreateAsync("/api/v1/namespaces/team-r/pods", "app-0", """{"serviceAccountName":"reader"}""");
        var token = await RequestTokenAsync("team-r", "reader");

        foreach (var path in new[] { "/api/v1/namespaces/team-r/pods", "/api/v1/namespaces/team-r/pods/app-0", "/api/v1/namespaces/team-r/serviceaccounts", "/api/v1/namespaces/team-r/serviceaccounts/reader" })
        {
            var (code, body) = await SendAsync(token, HttpMethod.Get, path);
            Assert.True(code == 200, $"GET {path} answered {code}: {body?.ToJsonString()}");
        }

        // Allowed, then not found: the 404 a permitted reader gets from kube-apiserver.
        Assert.Equal(404, (await SendAsync(token, HttpMethod.Get, "/api/v1/namespaces/team-r/pods/missing")).Status);

        var (denied, status) = await SendAsync(token, HttpMethod.Get, "/api/v1/namespaces/default/pods");
        Assert.Equal(403, denied);
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:team-r:reader\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", status!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/kube-system/pods", null, "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"", null, "pods")]
    [InlineData("GET", "/api/v1/namespaces/team-a/serviceaccounts/default", null, "serviceaccounts \"default\" is forbidden: User \"system:serviceaccount:default:default\" cannot get resource \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"", "default", "serviceaccounts")]
    [InlineData("GET", "/api/v1/namespaces/default/secrets", null, "secrets is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"", null, "secrets")]
    [InlineData("GET", "/api/v1/namespaces/default/secrets/db", null, "secrets \"db\" is forbidden: User \"system:serviceaccount:default:default\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"", "db", "secrets")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"mine"}}""", "secrets is forbidden: User \"system:serviceaccount:default:default\" cannot create resource \"secrets\" in API group \"\" in the namespace \"default\"", null, "secrets")]
    [InlineData("POST", "/api/v1/namespaces/default/pods", """{"metadata":{"name":"mine-0"}}""", "pods is forbidden: User \"system:serviceaccount:default:default\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", null, "pods")]
    [InlineData("POST", "/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"mine"}}""", "serviceaccounts is forbidden: User \"system:serviceaccount:default:default\" cannot create resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"", null, "serviceaccounts")]
    [InlineData("DELETE", "/api/v1/namespaces/default/pods/web-0", null, "pods \"web-0\" is forbidden: User \"system:serviceaccount:default:default\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"", "web-0", "pods")]
    [InlineData("DELETE", "/api/v1/namespaces/default/serviceaccounts/default", null, "serviceaccounts \"default\" is forbidden: User \"system:serviceaccount:default:default\" cannot delete resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"", "default", "serviceaccounts")]
    [InlineData("GET", "/api/v1/nodes", null, "nodes is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", null, "nodes")]
    [InlineData("GET", "/api/v1/nodes/node-1", null, "nodes \"node-1\" is forbidden: User \"system:serviceaccount:default:default\" cannot get resource \"nodes\" in API group \"\" at the cluster scope", "node-1", "nodes")]
    [InlineData("POST", "/api/v1/nodes", """{"metadata":{"name":"mine"}}""", "nodes is forbidden: User \"system:serviceaccount:default:default\" cannot create resource \"nodes\" in API group \"\" at the cluster scope", null, "nodes")]
    public async Task Everything_else_gets_the_Kubernetes_403_naming_the_service_account(string method, string path, string? json, string message, string? name, string kind)
    {
        var (code, body) = await SendAsync(await RequestTokenAsync("default", "default"), new HttpMethod(method), path, json);
        Assert.Equal(403, code);
        Assert.True(JsonNode.DeepEquals(Forbidden(message, name, kind), body), body?.ToJsonString());
    }

    [Fact]
    public async Task A_denied_create_creates_nothing_and_a_denied_delete_deletes_nothing()
    {
        var token = await RequestTokenAsync("default", "default");
        Assert.Equal(403, (await SendAsync(token, HttpMethod.Post, "/api/v1/namespaces/default/pods", """{"metadata":{"name":"never-1"}}""")).Status);
        Assert.Equal(404, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/never-1")).Status);

        await CreateAsync("/api/v1/namespaces/default/pods", "kept-1");
        Assert.Equal(403, (await SendAsync(token, HttpMethod.Delete, "/api/v1/namespaces/default/pods/kept-1")).Status);
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/kept-1")).Status);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthorized()
    {
        var token = await RequestTokenAsync("default", "default", audience: "orders");
        var (code, challenge, body) = await SendForChallengeAsync(token, "/api/v1/namespaces/default/pods");
        Assert.Equal(401, code);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"orders\\\"] is invalid for the target audiences [\\\"{Samples.AuthorityUrl.GetLeftPart(UriPartial.Authority)}\\\"]\"", challenge);
        Assert.True(JsonNode.DeepEquals(Unauthorized(), body), body?.ToJsonString());
    }

    [Fact]
    public async Task A_pod_bound_token_is_unauthorized_once_its_pod_is_deleted()
    {
        await CreateAsync("/api/v1/namespaces/default/pods", "bound-0");
        var token = await RequestTokenAsync("default", "default", pod: "bound-0");
        Assert.Equal(200, (await SendAsync(token, HttpMethod.Get, "/api/v1/namespaces/default/pods/bound-0")).Status);

        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/bound-0")).Status);
        var (code, challenge, body) = await SendForChallengeAsync(token, "/api/v1/namespaces/default/pods");
        Assert.Equal(401, code);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"", challenge);
        Assert.True(JsonNode.DeepEquals(Unauthorized(), body), body?.ToJsonString());
    }

    [Theory]
    [InlineData("forged", "go-jose/go-jose: error in cryptographic primitive")]
    [InlineData("a.b.c", "invalid bearer token")]
    public async Task A_JWT_that_is_not_the_Authority_s_is_unauthorized(string kind, string reason)
    {
        // "forged": the Authority's own header and claims with a signature it never made (all zero bytes).
        var token = await RequestTokenAsync("default", "default");
        var signature = token.LastIndexOf('.') + 1;
        var presented = kind == "forged" ? token[..signature] + new string('A', token.Length - signature) : kind;
        var (code, challenge, body) = await SendForChallengeAsync(presented, "/api/v1/namespaces/default/pods");
        Assert.Equal(401, code);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{reason}\"", challenge);
        Assert.True(JsonNode.DeepEquals(Unauthorized(), body), body?.ToJsonString());
    }

    [Fact]
    public async Task A_service_account_token_may_neither_request_nor_review_tokens()
    {
        var token = await RequestTokenAsync("default", "default");

        var (request, requestBody) = await SendAsync(token, HttpMethod.Post, "/api/v1/namespaces/default/serviceaccounts/default/token", """{"spec":{}}""");
        Assert.Equal(403, request);
        var requestDenied = Forbidden($"serviceaccounts \"default\" is forbidden: User \"{DefaultUser}\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"default\"", "default", "serviceaccounts");
        Assert.True(JsonNode.DeepEquals(requestDenied, requestBody), requestBody?.ToJsonString());

        var (review, reviewBody) = await SendAsync(token, HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", Review(token));
        Assert.Equal(403, review);
        var reviewDenied = Forbidden($"tokenreviews.authentication.k8s.io is forbidden: User \"{DefaultUser}\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope", null, "tokenreviews");
        reviewDenied["details"] = new JsonObject { ["group"] = "authentication.k8s.io", ["kind"] = "tokenreviews" };
        Assert.True(JsonNode.DeepEquals(reviewDenied, reviewBody), reviewBody?.ToJsonString());
    }

    [Fact]
    public async Task The_admin_token_keeps_full_access()
    {
        var token = await RequestTokenAsync("default", "default");
        var (reviewed, review) = await Samples.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", Review(token));
        Assert.Equal(201, reviewed);
        Assert.Equal(DefaultUser, review!["status"]!["user"]!["username"]!.GetValue<string>());

        await CreateAsync("/api/v1/namespaces/kube-system/secrets", "admin-only");
        await CreateAsync("/api/v1/nodes", "admin-node");
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/kube-system/secrets/admin-only")).Status);
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/nodes")).Status);
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/kube-system/secrets/admin-only")).Status);
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Delete, "/api/v1/nodes/admin-node")).Status);
    }

    private static JsonObject Forbidden(string message, string? name, string kind)
    {
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        details["kind"] = kind;
        return new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = "Forbidden", ["details"] = details, ["code"] = 403,
        };
    }

    private static JsonObject Unauthorized() => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
        ["message"] = "Unauthorized", ["reason"] = "Unauthorized", ["code"] = 401,
    };

    private static string Review(string token) =>
        new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token } }.ToJsonString();

    /// <summary>Creates an object as admin (<c>{"metadata":{"name":…},"spec":…}</c>) and asserts 201.</summary>
    private async Task CreateAsync(string collection, string name, string? spec = null)
    {
        var json = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
        if (spec is not null)
        {
            json["spec"] = JsonNode.Parse(spec);
        }

        var (code, body) = await Samples.PostAsync(collection, json.ToJsonString());
        Assert.True(code == 201, $"creating {collection}/{name} answered {code}: {body?.ToJsonString()}");
    }

    /// <summary>
    /// A TokenRequest as admin for <paramref name="namespace"/>/<paramref name="serviceAccount"/>: no audience named (so the
    /// API audience, as <c>kubectl create token</c> gets it) unless <paramref name="audience"/>, optionally bound to a pod.
    /// </summary>
    private async Task<string> RequestTokenAsync(string @namespace, string serviceAccount, string? audience = null, string? pod = null)
    {
        var spec = new JsonObject();
        if (audience is not null)
        {
            spec["audiences"] = new JsonArray(audience);
        }

        if (pod is not null)
        {
            spec["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = pod };
        }

        var (code, body) = await Samples.PostAsync($"/api/v1/namespaces/{@namespace}/serviceaccounts/{serviceAccount}/token", new JsonObject { ["spec"] = spec }.ToJsonString());
        Assert.True(code == 201, $"TokenRequest answered {code}: {body?.ToJsonString()}");
        return body!["status"]!["token"]!.GetValue<string>();
    }

    private async Task<(int Status, JsonNode? Body)> SendAsync(string token, HttpMethod method, string path, string? json = null)
    {
        using var client = Samples.AnonymousAuthorityClient(token);
        using var request = new HttpRequestMessage(method, new Uri(Samples.AuthorityUrl, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await RunningSamples.ReadJsonAsync(response));
    }

    private async Task<(int Status, string? Challenge, JsonNode? Body)> SendForChallengeAsync(string token, string path)
    {
        using var client = Samples.AnonymousAuthorityClient(token);
        using var response = await client.GetAsync(new Uri(Samples.AuthorityUrl, path));
        var challenge = response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : null;
        return ((int)response.StatusCode, challenge, await RunningSamples.ReadJsonAsync(response));
    }
}
