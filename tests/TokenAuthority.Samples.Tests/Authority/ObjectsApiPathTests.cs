using System.Text;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>Paths are matched as kube-apiserver matches them: case-sensitively, and odd segments get a Status (issue #14).</summary>
public sealed class ObjectsApiPathTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private RunningSamples Samples => fixture.Samples;

    [Theory]
    [InlineData("POST", "/API/V1/namespaces/default/serviceaccounts/default/token")]
    [InlineData("POST", "/api/v1/Namespaces/default/serviceaccounts/default/token")]
    [InlineData("POST", "/api/v1/namespaces/default/ServiceAccounts/default/TOKEN")]
    [InlineData("POST", "/APIS/authentication.k8s.io/v1/tokenreviews")]
    [InlineData("POST", "/API/V1/namespaces/default/secrets")]
    [InlineData("GET", "/api/v1/NODES")]
    [InlineData("GET", "/API/V1")]
    [InlineData("GET", "/Version")]
    [InlineData("GET", "/APIS")]
    [InlineData("GET", "/OpenID/v1/jwks")]
    [InlineData("GET", "/.well-known/OpenID-configuration")]
    public async Task A_path_in_another_case_is_not_found(string method, string path)
    {
        using var client = Samples.AdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Samples.AuthorityUrl, path));
        if (method == "POST")
        {
            request.Content = new StringContent("""{"metadata":{"name":"case"},"spec":{"audiences":["x"],"token":"x"}}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var status = await RunningSamples.ReadJsonAsync(response);
        Assert.True(404 == (int)response.StatusCode, $"{method} {path} answered {(int)response.StatusCode}: {status?.ToJsonString()}");
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("the server could not find the requested resource", status["message"]!.GetValue<string>());
        Assert.Equal(404, status["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/default/secrets/a%2Fb")]
    [InlineData("GET", "/api/v1/namespaces/a%2Fb/secrets")]
    [InlineData("DELETE", "/api/v1/nodes/a%2fb")]
    [InlineData("POST", "/api/v1/namespaces/default/serviceaccounts/a%2Fb/token")]
    [InlineData("GET", "/openid%2Fv1/jwks")]
    public async Task An_encoded_slash_in_a_segment_is_not_found(string method, string path)
    {
        using var client = Samples.AdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Samples.AuthorityUrl, path));
        if (method == "POST")
        {
            request.Content = new StringContent("""{"spec":{"audiences":["x"]}}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var status = await RunningSamples.ReadJsonAsync(response);
        Assert.True(404 == (int)response.StatusCode, $"{method} {path} answered {(int)response.StatusCode}: {status?.ToJsonString()}");
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("the server could not find the requested resource", status["message"]!.GetValue<string>());
    }

    /// <summary>
    /// Kestrel refuses a path whose decoded form holds NUL while parsing the request line
    /// (RequestRejectionReason.PathContainsNullCharacters) and writes its own empty 400: no middleware, status-code page or
    /// endpoint runs, so no Status body can be given. Pinned so a change in Kestrel shows up here.
    /// </summary>
    [Theory]
    [InlineData("/api/v1/namespaces/default/secrets/a%00b")]
    [InlineData("/api/v1/nodes/%00")]
    public async Task A_NUL_in_the_path_is_refused_by_Kestrel_before_the_app_runs(string path)
    {
        using var client = Samples.AdminClient();
        using var response = await client.GetAsync(new Uri(Samples.AuthorityUrl, path));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Content-Type-Options"));
    }
}
