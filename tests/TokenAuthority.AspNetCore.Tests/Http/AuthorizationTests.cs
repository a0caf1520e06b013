using System.Net;
using Microsoft.AspNetCore.Builder;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class AuthorizationTests
{
    private const string TokenPath = "/api/v1/namespaces/default/serviceaccounts/builder/token";
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    [Theory]
    [InlineData(TokenPath)]
    [InlineData(ReviewPath)]
    public async Task UnauthenticatedCallersGetTheUnauthorizedStatus(string path)
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient(bearerToken: null);
        using var response = await client.PostJsonAsync(path, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeniedTokenRequestGetsTheAuthorizersText()
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        using var response = await client.PostJsonAsync("/api/v1/namespaces/team-a/serviceaccounts/deployer/token", "{}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"deployer\" is forbidden: User \"viewer\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\"","reason":"Forbidden","details":{"name":"deployer","kind":"serviceaccounts"},"code":403}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeniedTokenReviewGetsTheAuthorizersText()
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        using var response = await client.PostJsonAsync(ReviewPath, """{"spec":{"token":"x"}}""");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"tokenreviews.authentication.k8s.io is forbidden: User \"viewer\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"authentication.k8s.io","kind":"tokenreviews"},"code":403}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServiceAccountDeniedByThePolicyIsNamedAsKubeApiserverNamesIt()
    {
        // The real TokenAuthority handler authenticates default/builder; the API requires kube-system/token-reviewer.
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });
        using var client = server.CreateClient(await server.IssueAsync([]));

        using var request = await client.PostJsonAsync("/api/v1/namespaces/team-a/serviceaccounts/deployer/token", "{}");
        using var review = await client.PostJsonAsync(ReviewPath, """{"spec":{"token":"x"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, request.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"deployer\" is forbidden: User \"system:serviceaccount:default:builder\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\"","reason":"Forbidden","details":{"name":"deployer","kind":"serviceaccounts"},"code":403}""",
            await request.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, review.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"tokenreviews.authentication.k8s.io is forbidden: User \"system:serviceaccount:default:builder\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"authentication.k8s.io","kind":"tokenreviews"},"code":403}""",
            await review.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServiceAccountAllowedByThePolicyGetsTheToken()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });
        using var client = server.CreateClient(server.ReviewerToken);
        using var response = await client.PostJsonAsync(TokenPath, "{}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ServiceAccountTokenForAnotherAudienceIsUnauthorized()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });
        using var client = server.CreateClient(await server.IssueAsync(["vault"], ns: TestObjects.ReviewerNamespace, serviceAccount: TestObjects.ReviewerName));
        using var response = await client.PostJsonAsync(TokenPath, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            $"Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"vault\\\"] is invalid for the target audiences [\\\"{server.Issuer}\\\"]\"",
            response.WwwAuthenticate());
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithoutConventionsTheApiDoesNotStart()
    {
        // It used to start and mint tokens for anonymous callers (issue #8); RequiredAuthorizationTests covers the message
        // and the explicit AllowAnonymous() that opens the API on purpose.
        await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = null }));
    }

    [Fact]
    public async Task AuthorizedCallerGetsTheToken()
    {
        await using var server = await AuthorityServer.StartAsync();
        using var client = server.CreateClient(TestAuthenticationHandler.AdminToken);
        using var response = await client.PostJsonAsync(TokenPath, "{}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task OtherEndpointsKeepTheDefaultBehaviour()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureApp = app => app.MapGet("/admin-only", () => "ok").RequireAuthorization("admin"),
        });
        using var client = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        using var response = await client.GetAsync("/admin-only");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }
}
