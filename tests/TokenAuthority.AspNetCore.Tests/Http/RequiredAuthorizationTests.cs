using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenAuthority.Server.Http;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;
using TestHost = TokenAuthority.AspNetCore.Tests.TestSupport.TestHost;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>
/// TokenRequest and TokenReview are never served to anonymous callers by accident (issue #8, finding 1): an app that
/// gives them no authorization fails at start-up and says what to add; a request that reaches them without having
/// been authorized (nor explicitly allowed anonymously) is refused.
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

    [Fact]
    public async Task ResultHandlerRegisteredAfterAddTokenAuthorityEndpointsFailsToStart()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureServices = s => s.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationMiddlewareResultHandler>(),
        }));
        Assert.Contains("AuthorizationMiddlewareResultHandler", e.Message, StringComparison.Ordinal);
        Assert.Contains("before services.AddTokenAuthorityEndpoints()", e.Message, StringComparison.Ordinal);
    }

    // Defence in depth: what start-up accepted but nothing enforces is refused at request time, never answered 201.

    [Fact]
    public async Task FallbackPolicyThatNoMiddlewareAppliesIsRefusedAtRequestTime()
    {
        // A Startup-style host that forgot app.UseAuthorization(): the fallback policy is configured but never evaluated.
        var logs = new TestLogs();
        using var host = await StartBareHostAsync(
            logs,
            services => services.AddAuthorization(a => a.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()),
            endpoints => endpoints.MapTokenAuthority());
        using var anonymous = host.GetTestClient();
        using var admin = host.GetTestClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", TestAuthenticationHandler.AdminToken);

        using var anonymousRequest = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var anonymousReview = await anonymous.PostJsonAsync(ReviewPath, ReviewBody);
        using var adminRequest = await admin.PostJsonAsync("/api/v1/namespaces/team-a/serviceaccounts/deployer/token", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRequest.StatusCode);
        Assert.Equal(UnauthorizedStatus, await anonymousRequest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousReview.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminRequest.StatusCode); // authenticated, but nothing authorized it
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"deployer\" is forbidden: User \"admin\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\"","reason":"Forbidden","details":{"name":"deployer","kind":"serviceaccounts"},"code":403}""",
            await adminRequest.Content.ReadAsStringAsync());
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3006 && e.Level == LogLevel.Error && e.Message.Contains("UseAuthorization()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthorizationMetadataThatNoMiddlewareEnforcesIsRefusedAtRequestTime()
    {
        // RequireAuthorization() with ASP.NET Core's own check for unenforced metadata switched off and no authorization middleware.
        using var host = await StartBareHostAsync(
            new TestLogs(),
            services => services.Configure<RouteOptions>(o => o.SuppressCheckForUnhandledSecurityMetadata = true),
            endpoints => endpoints.MapTokenAuthority().RequireAuthorization());
        using var anonymous = host.GetTestClient();

        using var request = await anonymous.PostJsonAsync(TokenPath, "{}");
        using var review = await anonymous.PostJsonAsync(ReviewPath, ReviewBody);

        Assert.Equal(HttpStatusCode.Unauthorized, request.StatusCode);
        Assert.Equal(UnauthorizedStatus, await request.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, review.StatusCode);
        Assert.Equal(UnauthorizedStatus, await review.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(TokenAuthorityEndpointMetadata.TokenRequestKind, TokenPath)]
    [InlineData(TokenAuthorityEndpointMetadata.TokenReviewKind, ReviewPath)]
    public async Task EndpointWithNeitherAuthorizationNorAllowAnonymousIsRefused(string kind, string path)
    {
        // The endpoints' own request delegate, run for an endpoint that carries no authorization metadata at all.
        var builder = TestHost.CreateBuilder();
        AddAuthority(builder.Services);
        builder.Services.AddTokenAuthorityEndpoints();
        await using var app = builder.Build();
        app.MapTokenAuthority().AllowAnonymous();
        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
            .Single(e => e.Metadata.GetMetadata<TokenAuthorityEndpointMetadata>()?.Kind == kind);
        var bare = new Endpoint(mapped.RequestDelegate, new EndpointMetadataCollection(new TokenAuthorityEndpointMetadata(kind)), mapped.DisplayName);
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.SetEndpoint(bare);
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = path;
        context.Request.RouteValues["namespace"] = TestObjects.Namespace;
        context.Request.RouteValues["name"] = TestObjects.ServiceAccountName;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("""{"spec":{"token":"x"}}"""u8.ToArray());
        context.Response.Body = new MemoryStream();

        await bare.RequestDelegate!(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Equal(UnauthorizedStatus, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    private static IEndpointConventionBuilder Endpoint(TokenAuthorityEndpointConventionBuilder api, string kind) =>
        kind == TokenAuthorityEndpointMetadata.TokenRequestKind ? api.TokenRequest : api.TokenReview;

    private static void AddAuthority(IServiceCollection services) =>
        services.AddTokenAuthority(o =>
        {
            o.Issuer = "https://authority.example.com";
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
        }).AddInMemoryBoundObjects(TestObjects.Seed);

    /// <summary>A Startup-style host (no <c>WebApplication</c>, so no authorization middleware unless added) on TestServer.</summary>
    private static async Task<IHost> StartBareHostAsync(TestLogs logs, Action<IServiceCollection> services, Action<IEndpointRouteBuilder> map)
    {
        var host = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    AddAuthority(s);
                    s.AddTokenAuthorityEndpoints();
                    s.AddAuthentication(TestAuthenticationHandler.SchemeName)
                        .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
                    services(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseEndpoints(map);
                }))
            .Build();
        await host.StartAsync();
        return host;
    }
}
