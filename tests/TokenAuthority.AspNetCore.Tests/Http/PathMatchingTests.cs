using System.Net;
using System.Text;
using System.Text.Json;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>
/// MapTokenAuthority() matches paths as kube-apiserver does, not as ASP.NET Core routing does (case-insensitively):
/// another case, or an encoded slash in a segment, is the API server's 404 Status (issue #14).
/// </summary>
public sealed class PathMatchingTests
{
    [Theory]
    [InlineData("POST", "/API/V1/namespaces/default/serviceaccounts/builder/token")]
    [InlineData("POST", "/api/v1/namespaces/default/serviceaccounts/builder/Token")]
    [InlineData("POST", "/api/v1/namespaces/default/serviceaccounts/a%2Fb/token")]
    [InlineData("POST", "/apis/Authentication.k8s.io/v1/tokenreviews")]
    [InlineData("GET", "/.well-known/OPENID-configuration")]
    [InlineData("GET", "/openid/V1/jwks")]
    [InlineData("GET", "/VERSION")]
    [InlineData("GET", "/Api")]
    [InlineData("GET", "/api/V1")]
    [InlineData("GET", "/APIS")]
    [InlineData("GET", "/apis/authentication.k8s.io/V1")]
    [InlineData("GET", "/openapi/V2")]
    public async Task A_path_in_another_case_or_with_an_encoded_slash_is_not_found(string method, string path)
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"spec":{"audiences":["api"],"token":"x"}}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}: {body}");
        using var status = JsonDocument.Parse(body);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("NotFound", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal("the server could not find the requested resource", status.RootElement.GetProperty("message").GetString());
        Assert.Equal(404, status.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_exact_paths_are_still_served()
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient();
        using var token = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", """{"spec":{"audiences":["api"]}}""");
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        foreach (var path in new[] { "/.well-known/openid-configuration", "/openid/v1/jwks", "/version", "/api", "/api/v1", "/apis", "/apis/authentication.k8s.io", "/apis/authentication.k8s.io/v1", "/openapi/v2" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
        }
    }
}
