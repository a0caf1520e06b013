using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>The Authority process's objects API and token binding over HTTPS: every error is a Kubernetes Status.</summary>
public sealed class ObjectsApiTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private RunningSamples Samples => fixture.Samples;

    [Theory]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", "{", "application/json", 400, "BadRequest")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", "null", "application/json", 400, "BadRequest")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"kind":"Pod","metadata":{"name":"k"}}""", "application/json", 400, "BadRequest")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"apiVersion":"apps/v1","metadata":{"name":"k"}}""", "application/json", 400, "BadRequest")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"k","namespace":"other"}}""", "application/json", 400, "BadRequest")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"k"}}""", "text/plain", 415, "UnsupportedMediaType")]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", """{"metadata":{}}""", "application/json", 422, "Invalid")]
    [InlineData("POST", "/api/v1/namespaces/Default/secrets", """{"metadata":{"name":"k"}}""", "application/json", 422, "Invalid")]
    [InlineData("POST", "/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"nodeName":"Node_1"}}""", "application/json", 422, "Invalid")]
    [InlineData("POST", "/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"serviceAccountName":"missing"}}""", "application/json", 403, "Forbidden")]
    [InlineData("GET", "/api/v1/namespaces/default/pods/missing", null, null, 404, "NotFound")]
    [InlineData("DELETE", "/api/v1/nodes/missing", null, null, 404, "NotFound")]
    [InlineData("GET", "/api/v1/namespaces/default/configmaps", null, null, 404, "NotFound")]
    [InlineData("PUT", "/api/v1/nodes/node-1", "{}", "application/json", 405, "MethodNotAllowed")]
    [InlineData("POST", "/api/v1/namespaces/default/serviceaccounts/missing/token", "{}", "application/json", 404, "NotFound")]
    public async Task Bad_requests_get_a_Status_with_the_right_code(string method, string path, string? body, string? contentType, int code, string reason)
    {
        using var client = Samples.AdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Samples.AuthorityUrl, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await client.SendAsync(request);
        var status = await RunningSamples.ReadJsonAsync(response);
        Assert.True(code == (int)response.StatusCode, $"{method} {path} answered {(int)response.StatusCode}: {status?.ToJsonString()}");
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal("v1", status["apiVersion"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(status["message"]?.GetValue<string>()));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_refused_with_413()
    {
        // Expect: 100-continue lets the server refuse before the body is sent; otherwise the client may still be
        // writing when the server answers and closes, and would see a reset instead of the 413.
        using var client = Samples.AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Samples.AuthorityUrl, "/api/v1/nodes"))
        {
            Content = new StringContent("{\"metadata\":{\"name\":\"" + new string('a', 1_100_000) + "\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", (await RunningSamples.ReadJsonAsync(response))!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_without_content_type_is_read_as_JSON_like_kube_apiserver_does()
    {
        using var client = Samples.AdminClient();
        using var content = new ByteArrayContent("""{"metadata":{"name":"no-content-type"}}"""u8.ToArray());
        using var response = await client.PostAsync(new Uri(Samples.AuthorityUrl, "/api/v1/namespaces/default/secrets"), content);
        Assert.Equal(201, (int)response.StatusCode);
    }

    [Fact]
    public async Task Objects_have_the_Kubernetes_shape_and_lists_are_ordered_by_name()
    {
        Assert.Equal(201, (await Samples.PostAsync("/api/v1/namespaces/shape/serviceaccounts", """{"metadata":{"name":"builder"}}""")).Status);
        var (created, pod) = await Samples.PostAsync("/api/v1/namespaces/shape/pods", """{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-b","namespace":"shape"},"spec":{"serviceAccountName":"builder"}}""");
        Assert.Equal(201, created);
        Assert.Equal(201, (await Samples.PostAsync("/api/v1/namespaces/shape/pods", """{"metadata":{"name":"web-a"},"spec":{"serviceAccountName":"builder","nodeName":"node-1"}}""")).Status);

        Assert.Equal("Pod", pod!["kind"]!.GetValue<string>());
        Assert.Equal("v1", pod["apiVersion"]!.GetValue<string>());
        Assert.Equal("shape", pod["metadata"]!["namespace"]!.GetValue<string>());
        Assert.True(Guid.TryParse(pod["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", pod["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.Equal("builder", pod["spec"]!["serviceAccountName"]!.GetValue<string>());
        Assert.Null(pod["spec"]!["nodeName"]);

        var (listed, list) = await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/shape/pods");
        Assert.Equal(200, listed);
        Assert.Equal("PodList", list!["kind"]!.GetValue<string>());
        Assert.Equal("v1", list["apiVersion"]!.GetValue<string>());
        Assert.Equal("{}", list["metadata"]!.ToJsonString());
        Assert.Equal(["web-a", "web-b"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Empty((await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/empty/pods")).Body!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("Pod", "/api/v1/namespaces/default/pods", "bind-pod")]
    [InlineData("Secret", "/api/v1/namespaces/default/secrets", "bind-secret")]
    [InlineData("Node", "/api/v1/nodes", "bind-node")]
    public async Task Deleting_a_bound_object_invalidates_its_tokens_from_the_next_review_and_recreating_it_does_not_revive_them(string kind, string collection, string name)
    {
        var (created, first) = await Samples.PostAsync(collection, NameOnly(name));
        Assert.Equal(201, created);
        var token = await RequestTokenAsync("default", new JsonObject { ["kind"] = kind, ["apiVersion"] = "v1", ["name"] = name });
        Assert.Null(await ReviewErrorAsync(token));

        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Delete, $"{collection}/{name}")).Status);
        Assert.Equal("[invalid bearer token, service account token has been invalidated]", await ReviewErrorAsync(token));

        var (recreated, second) = await Samples.PostAsync(collection, NameOnly(name));
        Assert.Equal(201, recreated);
        var (oldUid, newUid) = (Uid(first!), Uid(second!));
        Assert.NotEqual(oldUid, newUid);
        var label = kind.ToLowerInvariant();
        // The live uid of the recreated object is not told to whoever holds the old token.
        Assert.Equal($"[invalid bearer token, {label} UID does not match service account {label} ref claim ({oldUid})]", await ReviewErrorAsync(token));
    }

    [Fact]
    public async Task Deleting_a_service_account_invalidates_its_tokens()
    {
        Assert.Equal(201, (await Samples.PostAsync("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"short-lived"}}""")).Status);
        var token = await RequestTokenAsync("short-lived", null);
        Assert.Null(await ReviewErrorAsync(token));
        Assert.Equal(200, (await Samples.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/serviceaccounts/short-lived")).Status);
        Assert.Equal("[invalid bearer token, serviceaccounts \"short-lived\" not found]", await ReviewErrorAsync(token));
    }

    [Fact]
    public async Task TokenRequest_and_TokenReview_need_a_token_while_discovery_does_not()
    {
        using var anonymous = Samples.AnonymousAuthorityClient();
        using (var request = await anonymous.PostAsync(new Uri(Samples.AuthorityUrl, "/api/v1/namespaces/default/serviceaccounts/default/token"), new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(401, (int)request.StatusCode);
            Assert.Equal("Status", (await RunningSamples.ReadJsonAsync(request))!["kind"]!.GetValue<string>());
        }

        using (var review = await anonymous.PostAsync(new Uri(Samples.AuthorityUrl, "/apis/authentication.k8s.io/v1/tokenreviews"), new StringContent("""{"spec":{"token":"x"}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(401, (int)review.StatusCode);
        }

        foreach (var path in new[] { "/.well-known/openid-configuration", "/openid/v1/jwks", "/healthz", "/version" })
        {
            using var response = await anonymous.GetAsync(new Uri(Samples.AuthorityUrl, path));
            Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        }
    }

    private static string NameOnly(string name) => new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString();

    private async Task<string> RequestTokenAsync(string serviceAccount, JsonObject? boundObjectRef)
    {
        var spec = new JsonObject { ["audiences"] = new JsonArray("orders") };
        if (boundObjectRef is not null)
        {
            spec["boundObjectRef"] = boundObjectRef;
        }

        var (code, body) = await Samples.PostAsync($"/api/v1/namespaces/default/serviceaccounts/{serviceAccount}/token", new JsonObject { ["spec"] = spec }.ToJsonString());
        Assert.True(code == 201, $"TokenRequest answered {code}: {body?.ToJsonString()}");
        return body!["status"]!["token"]!.GetValue<string>();
    }

    private static string Uid(JsonNode created) => created["metadata"]!["uid"]!.GetValue<string>();

    /// <summary>Reviews the token for audience orders: null when it authenticates, otherwise the review's <c>status.error</c>.</summary>
    private async Task<string?> ReviewErrorAsync(string token)
    {
        var review = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray("orders") } };
        var (code, body) = await Samples.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", review.ToJsonString());
        Assert.Equal(201, code);
        var status = body!["status"]!;
        var authenticated = status["authenticated"]?.GetValue<bool>() ?? false;
        var error = status["error"]?.GetValue<string>();
        Assert.True(authenticated == (error is null), $"authenticated {authenticated} with error {error}");
        return error;
    }
}
