using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>
/// <c>MapTokenAuthority().TokenRequest</c> and <c>.TokenReview</c> take conventions for one endpoint each, so a host can
/// give a reviewing service <c>create tokenreviews</c> without <c>create serviceaccounts/token</c>.
/// </summary>
public sealed class PerEndpointAuthorizationTests
{
    private const string TokenPath = "/api/v1/namespaces/team-a/serviceaccounts/builder/token";
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";
    private const string ReviewBody = """{"spec":{"token":"x"}}""";

    /// <summary>Users <c>admin</c> and <c>viewer</c> of the test scheme (the viewer plays the token reviewer).</summary>
    private const string ReviewerPolicy = "admin-or-viewer";

    private const string TokenRequestForbiddenForViewer =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"builder\" is forbidden: User \"viewer\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\"","reason":"Forbidden","details":{"name":"builder","kind":"serviceaccounts"},"code":403}""";

    private const string TokenReviewForbiddenForViewer =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"tokenreviews.authentication.k8s.io is forbidden: User \"viewer\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"authentication.k8s.io","kind":"tokenreviews"},"code":403}""";

    [Fact]
    public async Task TokenRequestConventionsApplyToTokenRequestOnly()
    {
        await using var server = await StartAsync(api =>
        {
            api.TokenRequest.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenReview.RequireAuthorization(); // any authenticated caller: the admin policy must not reach it
        });
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);

        using var request = await viewer.PostJsonAsync(TokenPath, "{}");
        using var review = await viewer.PostJsonAsync(ReviewPath, ReviewBody);

        Assert.Equal(HttpStatusCode.Forbidden, request.StatusCode);
        Assert.Equal(TokenRequestForbiddenForViewer, await request.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
    }

    [Fact]
    public async Task TokenReviewConventionsApplyToTokenReviewOnly()
    {
        await using var server = await StartAsync(api =>
        {
            api.TokenReview.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenRequest.RequireAuthorization(); // any authenticated caller: the admin policy must not reach it
        });
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);

        using var request = await viewer.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", "{}");
        using var review = await viewer.PostJsonAsync(ReviewPath, ReviewBody);

        Assert.Equal(HttpStatusCode.Created, request.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, review.StatusCode);
        Assert.Equal(TokenReviewForbiddenForViewer, await review.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheReviewerMayReviewButNotMintWhileTheAdminMayDoBoth()
    {
        await using var server = await StartAsync(api =>
        {
            api.TokenRequest.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenReview.RequireAuthorization(ReviewerPolicy);
        });
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        using var admin = server.CreateClient(TestAuthenticationHandler.AdminToken);
        var token = await server.IssueAsync([server.Issuer]);

        using var viewerReview = await viewer.PostJsonAsync(ReviewPath, $$$"""{"spec":{"token":"{{{token}}}"}}""");
        using var viewerRequest = await viewer.PostJsonAsync(TokenPath, "{}");
        using var adminReview = await admin.PostJsonAsync(ReviewPath, ReviewBody);
        using var adminRequest = await admin.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", "{}");

        Assert.Equal(HttpStatusCode.Created, viewerReview.StatusCode);
        Assert.Contains("\"authenticated\":true", await viewerReview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewerRequest.StatusCode);
        Assert.Equal(TokenRequestForbiddenForViewer, await viewerRequest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, adminReview.StatusCode);
        Assert.Equal(HttpStatusCode.Created, adminRequest.StatusCode);
    }

    [Theory]
    [InlineData(TokenPath)]
    [InlineData(ReviewPath)]
    public async Task EachPropertyChallengesAnonymousCallersWithTheUnauthorizedStatus(string path)
    {
        await using var server = await StartAsync(api =>
        {
            api.TokenRequest.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenReview.RequireAuthorization(ReviewerPolicy);
        });
        using var anonymous = server.CreateClient(bearerToken: null);
        using var response = await anonymous.PostJsonAsync(path, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/openid/v1/jwks")]
    [InlineData("/version")]
    [InlineData("/apis/authentication.k8s.io/v1")]
    public async Task DiscoveryStaysAnonymousWhateverTheProperties(string path)
    {
        await using var server = await StartAsync(api =>
        {
            api.TokenRequest.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenReview.RequireAuthorization(AuthorityServer.AdminPolicy);
        });
        using var anonymous = server.CreateClient(bearerToken: null);
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ThePropertiesAreTheTwoProtectedEndpoints()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var server = await StartAsync(api =>
        {
            api.RequireAuthorization(AuthorityServer.AdminPolicy);
            api.TokenRequest.Add(b => seen.Add("request:" + b.DisplayName));
            api.TokenReview.Add(b => seen.Add("review:" + b.DisplayName));
        });
        using var client = server.CreateClient(bearerToken: null);
        using var response = await client.GetAsync("/version"); // builds the endpoints
        Assert.Equal(["request:TokenAuthority TokenRequest", "review:TokenAuthority TokenReview"], seen.Distinct().Order(StringComparer.Ordinal)); // the route table may be built more than once
    }

    private static Task<AuthorityServer> StartAsync(Action<TokenAuthority.Server.Http.TokenAuthorityEndpointConventionBuilder> configure) =>
        AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = null,
            ConfigureServices = services => services.AddAuthorization(a =>
                a.AddPolicy(ReviewerPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.Identity?.Name is "admin" or "viewer"))),
            ConfigureApi = configure,
        });
}
