using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.AspNetCore.Http;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>
/// TokenRequest and TokenReview are never served to anonymous callers by accident (issue #8, finding 1): an app that
/// gives them no authorization fails at start-up and says what to add.
/// </summary>
public sealed class RequiredAuthorizationTests
{
    private const string TokenPath = "/api/v1/namespaces/default/serviceaccounts/builder/token";
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";
    private const string ReviewBody = """{"spec":{"token":"x"}}""";
    private const string UnauthorizedStatus =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";

    private const string BothUnauthorizedMessage =
        "MapTokenAuthority(): TokenRequest (POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token) and "
        + "TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) have no authorization, so anyone who can reach them "
        + "could mint tokens for any service account and review any token; Kubernetes never serves them to unauthenticated callers. "
        + "Require authorization for both with app.MapTokenAuthority().RequireAuthorization(\"<policy>\"), or per endpoint with "
        + "var api = app.MapTokenAuthority(); api.TokenRequest.RequireAuthorization(\"<policy>\"); api.TokenReview.RequireAuthorization(\"<policy>\"); "
        + "a route group's RequireAuthorization() or an AuthorizationOptions.FallbackPolicy counts too. "
        + "To serve them to anonymous callers on purpose, add .AllowAnonymous() instead.";

    [Fact]
    public async Task ApiWithoutAuthorizationFailsToStartAndSaysWhatToAdd()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = null }));
        Assert.Equal(BothUnauthorizedMessage, e.Message);
    }

    [Theory]
    [InlineData(TokenAuthorityEndpointMetadata.TokenRequestKind, TokenAuthorityEndpointMetadata.TokenReviewKind, "TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) has no authorization", "review any token")]
    [InlineData(TokenAuthorityEndpointMetadata.TokenReviewKind, TokenAuthorityEndpointMetadata.TokenRequestKind, "TokenRequest (POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token) has no authorization", "mint tokens for any service account")]
    public async Task OneEndpointWithoutAuthorizationFailsToStart(string authorized, string unauthorized, string named, string risk)
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = null,
            ConfigureApi = api => Endpoint(api, authorized).RequireAuthorization(AuthorityServer.AdminPolicy),
        }));

        Assert.StartsWith("MapTokenAuthority(): " + named + ", so anyone who can reach it could " + risk + ";", e.Message, StringComparison.Ordinal);
        Assert.Contains($"var api = app.MapTokenAuthority(); api.{unauthorized}.RequireAuthorization(\"<policy>\");", e.Message, StringComparison.Ordinal);
        Assert.Contains($"add api.{unauthorized}.AllowAnonymous() instead.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(authorized + " (POST", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitAllowAnonymousStartsServesAnonymousCallersAndWarns()
    {
        var logs = new TestLogs();
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = null, Logs = logs, ConfigureApi = api => api.AllowAnonymous() });
        using var anonymous = server.CreateClient(bearerToken: null);

        using var request = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var review = await anonymous.PostJsonAsync(ReviewPath, ReviewBody);

        Assert.Equal(HttpStatusCode.Created, request.StatusCode);
        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        var warnings = logs.Entries.Where(e => e.EventId.Id == 3007).ToList();
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains(warnings, w => w.Message.StartsWith("TokenRequest (POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token) allows anonymous callers", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Message.StartsWith("TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) allows anonymous callers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllowAnonymousOnOneEndpointLeavesTheOtherProtected()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = null,
            ConfigureApi = api =>
            {
                api.TokenRequest.RequireAuthorization(AuthorityServer.AdminPolicy);
                api.TokenReview.AllowAnonymous();
            },
        });
        using var anonymous = server.CreateClient(bearerToken: null);

        using var request = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var review = await anonymous.PostJsonAsync(ReviewPath, ReviewBody);

        Assert.Equal(HttpStatusCode.Unauthorized, request.StatusCode);
        Assert.Equal(UnauthorizedStatus, await request.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
    }

    [Fact]
    public async Task RouteGroupWithoutAuthorizationFailsToStartNamingTheGroupsPaths()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = null,
            MapApi = app => app.MapGroup("/authority").MapTokenAuthority(),
        }));

        Assert.StartsWith(
            "MapTokenAuthority(): TokenRequest (POST /authority/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token) and TokenReview (POST /authority/apis/authentication.k8s.io/v1/tokenreviews) have no authorization",
            e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteGroupAuthorizationCounts()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = null,
            MapApi = app => app.MapGroup("").RequireAuthorization(AuthorityServer.AdminPolicy).MapTokenAuthority(),
        });
        using var anonymous = server.CreateClient(bearerToken: null);
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        using var admin = server.CreateClient(TestAuthenticationHandler.AdminToken);

        using var anonymousRequest = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var anonymousReview = await anonymous.PostJsonAsync(ReviewPath, ReviewBody);
        using var viewerReview = await viewer.PostJsonAsync(ReviewPath, ReviewBody);
        using var adminRequest = await admin.PostJsonAsync(TokenPath, "{}");
        using var discovery = await anonymous.GetAsync("/.well-known/openid-configuration");
        using var jwks = await anonymous.GetAsync("/openid/v1/jwks");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRequest.StatusCode);
        Assert.Equal(UnauthorizedStatus, await anonymousRequest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousReview.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerReview.StatusCode);
        Assert.Contains("User \\\"viewer\\\" cannot create resource \\\"tokenreviews\\\"", await viewerReview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, adminRequest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode); // the group's policy does not close discovery
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }

    [Fact]
    public async Task FallbackPolicyCountsAndIsLogged()
    {
        // Accepted, as ASP.NET Core's documented way to require authentication everywhere; the authorization middleware
        // applies it to endpoints without authorization metadata, and start-up says so.
        var logs = new TestLogs();
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = null, FallbackRequiresAuthentication = true, Logs = logs });
        using var anonymous = server.CreateClient(bearerToken: null);
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);

        using var anonymousRequest = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var viewerRequest = await viewer.PostJsonAsync(TokenPath, "{}");
        using var version = await anonymous.GetAsync("/version");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRequest.StatusCode);
        Assert.Equal(UnauthorizedStatus, await anonymousRequest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, viewerRequest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3008 && e.Level == LogLevel.Information
            && e.Message.StartsWith("TokenRequest (POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token) has no authorization of its own: the fallback policy", StringComparison.Ordinal));
    }

    [Fact]
    public void MapTokenAuthorityWithoutAddTokenAuthorityEndpointsFails()
    {
        var builder = TestHost.CreateBuilder();
        AddAuthority(builder.Services);
        builder.Services.AddAuthorization();
        using var app = builder.Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapTokenAuthority());
        Assert.StartsWith("MapTokenAuthority() needs services.AddTokenAuthorityEndpoints()", e.Message, StringComparison.Ordinal);
    }

    private static IEndpointConventionBuilder Endpoint(TokenAuthorityEndpointConventionBuilder api, string kind) =>
        kind == TokenAuthorityEndpointMetadata.TokenRequestKind ? api.TokenRequest : api.TokenReview;

    private static void AddAuthority(IServiceCollection services) =>
        services.AddTokenAuthority(o =>
        {
            o.Issuer = "https://authority.example.com";
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
        }).AddInMemoryBoundObjects(TestObjects.Seed);
}
