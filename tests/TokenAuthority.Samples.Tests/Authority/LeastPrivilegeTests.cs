using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// The Authority's two credentials, as Kubernetes RBAC would grant them: <c>reviewer.token</c> may create TokenReviews
/// and nothing else; <c>admin.token</c> may do everything. Denials are the API server's 403 <c>Status</c>.
/// </summary>
public sealed class LeastPrivilegeTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    private RunningSamples Samples => fixture.Samples;

    [Fact]
    public async Task The_reviewer_token_reviews_tokens()
    {
        var token = await Samples.RequestPodBoundTokenAsync(await CreatePodAsync("reviewed-0"));
        using var reviewer = Samples.ReviewerClient();
        var (code, body) = await PostAsync(reviewer, ReviewPath, Review(token));
        Assert.True(code == 201, $"TokenReview answered {code}: {body?.ToJsonString()}");
        Assert.True(body!["status"]!["authenticated"]!.GetValue<bool>());
        Assert.Equal("system:serviceaccount:default:default", body["status"]!["user"]!["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reviewer_token_gets_the_Kubernetes_403_on_TokenRequest()
    {
        using var reviewer = Samples.ReviewerClient();
        var (code, body) = await PostAsync(reviewer, "/api/v1/namespaces/default/serviceaccounts/default/token", """{"spec":{"audiences":["orders"]}}""");
        Assert.Equal(403, code);
        var expected = JsonNode.Parse(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"default\" is forbidden: User \"token-reviewer\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"default\"","reason":"Forbidden","details":{"name":"default","kind":"serviceaccounts"},"code":403}""");
        Assert.True(JsonNode.DeepEquals(expected, body), body?.ToJsonString());
    }

    [Theory]
    [InlineData("POST", "/api/v1/namespaces/default/pods", """{"metadata":{"name":"denied-0"}}""", "pods is forbidden: User \"token-reviewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", null, "pods")]
    [InlineData("POST", "/api/v1/namespaces/team-a/serviceaccounts", """{"metadata":{"name":"denied"}}""", "serviceaccounts is forbidden: User \"token-reviewer\" cannot create resource \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"", null, "serviceaccounts")]
    [InlineData("GET", "/api/v1/namespaces/default/pods", null, "pods is forbidden: User \"token-reviewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", null, "pods")]
    [InlineData("GET", "/api/v1/namespaces/default/secrets/db", null, "secrets \"db\" is forbidden: User \"token-reviewer\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"", "db", "secrets")]
    [InlineData("DELETE", "/api/v1/namespaces/default/serviceaccounts/default", null, "serviceaccounts \"default\" is forbidden: User \"token-reviewer\" cannot delete resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"", "default", "serviceaccounts")]
    [InlineData("POST", "/api/v1/nodes", """{"metadata":{"name":"denied-node"}}""", "nodes is forbidden: User \"token-reviewer\" cannot create resource \"nodes\" in API group \"\" at the cluster scope", null, "nodes")]
    [InlineData("DELETE", "/api/v1/nodes/node-1", null, "nodes \"node-1\" is forbidden: User \"token-reviewer\" cannot delete resource \"nodes\" in API group \"\" at the cluster scope", "node-1", "nodes")]
    public async Task The_reviewer_token_gets_the_Kubernetes_403_on_the_objects_API(string method, string path, string? json, string message, string? name, string kind)
    {
        using var reviewer = Samples.ReviewerClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Samples.AuthorityUrl, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await reviewer.SendAsync(request);
        var body = await RunningSamples.ReadJsonAsync(response);
        Assert.Equal(403, (int)response.StatusCode);
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        details["kind"] = kind;
        var expected = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = "Forbidden", ["details"] = details, ["code"] = 403,
        };
        Assert.True(JsonNode.DeepEquals(expected, body), body?.ToJsonString());
    }

    [Fact]
    public async Task A_denied_create_creates_nothing_and_a_denied_delete_deletes_nothing()
    {
        using var reviewer = Samples.ReviewerClient();
        Assert.Equal(403, (await PostAsync(reviewer, "/api/v1/namespaces/default/pods", """{"metadata":{"name":"never-0"}}""")).Status);
        Assert.Equal(404, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/never-0")).Status);

        var pod = await CreatePodAsync("kept-0");
        using (var delete = await reviewer.DeleteAsync(new Uri(Samples.AuthorityUrl, $"/api/v1/namespaces/default/pods/{pod}")))
        {
            Assert.Equal(403, (int)delete.StatusCode);
        }

        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/default/pods/{pod}")).Status);
    }

    [Fact]
    public async Task The_admin_token_still_creates_objects_requests_tokens_and_reviews_them()
    {
        var token = await Samples.RequestPodBoundTokenAsync(await CreatePodAsync("admin-0"));
        var (code, body) = await Samples.PostAsync(ReviewPath, Review(token));
        Assert.Equal(201, code);
        Assert.True(body!["status"]!["authenticated"]!.GetValue<bool>());
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods")).Status);
    }

    [Fact]
    public async Task A_token_that_is_almost_the_reviewer_token_is_unauthorized()
    {
        using var client = Samples.AnonymousAuthorityClient(Samples.ReviewerToken + "x");
        var (code, body) = await PostAsync(client, ReviewPath, Review("x"));
        Assert.Equal(401, code);
        Assert.Equal("Unauthorized", body!["reason"]!.GetValue<string>());
    }

    private static string Review(string token) =>
        new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray("orders") } }.ToJsonString();

    private async Task<(int Status, JsonNode? Body)> PostAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(Samples.AuthorityUrl, path), content);
        return ((int)response.StatusCode, await RunningSamples.ReadJsonAsync(response));
    }

    private async Task<string> CreatePodAsync(string name)
    {
        var (code, body) = await Samples.PostAsync("/api/v1/namespaces/default/pods", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString());
        Assert.True(code == 201, $"creating pod {name} answered {code}: {body?.ToJsonString()}");
        return name;
    }
}
