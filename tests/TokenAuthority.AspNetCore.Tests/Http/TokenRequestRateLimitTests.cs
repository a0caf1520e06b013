using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Server.Http;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>
/// Issue #14 item 10: TokenRequest is limited per caller. The buckets refill once an hour here (the limiter runs on real
/// time), so nothing is given back while a test runs.
/// </summary>
public sealed class TokenRequestRateLimitTests
{
    private const string Path = "/api/v1/namespaces/default/serviceaccounts/builder/token";
    private const string Body = """{"spec":{"audiences":["api"]}}""";

    [Fact]
    public async Task N_requests_pass_and_the_next_is_429_with_a_Status_and_Retry_After()
    {
        await using var server = await StartAsync(limit: 3);
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostJsonAsync(Path, Body);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var refused = await client.PostJsonAsync(Path, Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.MediaType());
        var retryAfter = RetryAfter(refused);
        Assert.InRange(retryAfter, 3000, 3600);
        Assert.Equal(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":{{retryAfter}}},"code":429}""",
            await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_caller_has_its_own_bucket()
    {
        await using var server = await StartAsync(limit: 2, apiPolicy: null, configureApi: api => api.RequireAuthorization(new AuthorizeAttribute()));
        using var admin = server.CreateClient(TestAuthenticationHandler.AdminToken);
        using var viewer = server.CreateClient(TestAuthenticationHandler.ViewerToken);
        for (var i = 0; i < 2; i++)
        {
            using var ok = await admin.PostJsonAsync(Path, Body);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using (var refused = await admin.PostJsonAsync(Path, Body))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var ok = await viewer.PostJsonAsync(Path, Body);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var viewerRefused = await viewer.PostJsonAsync(Path, Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, viewerRefused.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_are_counted_by_address_apart_from_authenticated_users()
    {
        await using var server = await StartAsync(limit: 2, apiPolicy: null, configureApi: api => api.AllowAnonymous());
        using var anonymous = server.CreateClient(bearerToken: null);
        using var admin = server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var ok = await anonymous.PostJsonAsync(Path, Body);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using (var refused = await anonymous.PostJsonAsync(Path, Body))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using var adminOk = await admin.PostJsonAsync(Path, Body);
        Assert.Equal(HttpStatusCode.Created, adminOk.StatusCode);
    }

    [Fact]
    public async Task Kubectl_protobuf_requests_are_counted_too()
    {
        await using var server = await StartAsync(limit: 2);
        using var client = server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.PostRawAsync(Path, ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration), "application/vnd.kubernetes.protobuf");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var protobuf = await client.PostRawAsync(Path, ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration), "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.TooManyRequests, protobuf.StatusCode);
        using var json = await client.PostJsonAsync(Path, Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, json.StatusCode);
    }

    [Fact]
    public async Task Refused_bodies_are_counted_before_they_are_read()
    {
        await using var server = await StartAsync(limit: 1);
        using var client = server.CreateClient();
        using (var invalid = await client.PostJsonAsync(Path, "not json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using var refused = await client.PostJsonAsync(Path, Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task The_limit_can_be_turned_off()
    {
        await using var server = await StartAsync(limit: 1, enabled: false);
        using var client = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.PostJsonAsync(Path, Body);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
    }

    [Fact]
    public async Task TokenReview_is_not_limited()
    {
        await using var server = await StartAsync(limit: 1);
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var review = await client.PostJsonAsync(AuthorityServer.TokenReviewPath, """{"spec":{"token":"x.y.z"}}""");
            Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        }
    }

    [Fact]
    public void It_is_on_by_default_with_a_generous_limit()
    {
        var options = new TokenAuthorityEndpointOptions();
        Assert.True(options.TokenRequestRateLimit.Enabled);
        Assert.Equal(200, options.TokenRequestRateLimit.TokenLimit);
        Assert.Equal(100, options.TokenRequestRateLimit.TokensPerPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.TokenRequestRateLimit.ReplenishmentPeriod);
    }

    [Fact]
    public void The_TokenAuthority_Endpoints_section_configures_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit"] = "7",
            ["TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod"] = "3",
            ["TokenAuthority:Endpoints:TokenRequestRateLimit:ReplenishmentPeriod"] = "00:00:10",
            ["TokenAuthority:Endpoints:TokenRequestRateLimit:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddTokenAuthorityEndpoints(o => o.TokenRequestRateLimit.TokensPerPeriod = 2);
        using var provider = services.BuildServiceProvider();

        var limit = provider.GetRequiredService<IOptions<TokenAuthorityEndpointOptions>>().Value.TokenRequestRateLimit;
        Assert.Equal(7, limit.TokenLimit);
        Assert.Equal(2, limit.TokensPerPeriod); // code configures after the section
        Assert.Equal(TimeSpan.FromSeconds(10), limit.ReplenishmentPeriod);
        Assert.False(limit.Enabled);
    }

    [Theory]
    [InlineData(0, 1, 1000, "TokenRequestRateLimit.TokenLimit must be between 1 and 1000000, got 0.")]
    [InlineData(5, 6, 1000, "TokenRequestRateLimit.TokensPerPeriod must be between 1 and TokenLimit (5), got 6.")]
    [InlineData(5, 0, 1000, "TokenRequestRateLimit.TokensPerPeriod must be between 1 and TokenLimit (5), got 0.")]
    [InlineData(5, 1, 0, "TokenRequestRateLimit.ReplenishmentPeriod must be between 1 ms and 1 day, got 00:00:00.")]
    public async Task Unusable_settings_stop_the_start_saying_what_to_change(int tokenLimit, int tokensPerPeriod, int periodMs, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureServices = s => s.Configure<TokenAuthorityEndpointOptions>(o =>
            {
                o.TokenRequestRateLimit.TokenLimit = tokenLimit;
                o.TokenRequestRateLimit.TokensPerPeriod = tokensPerPeriod;
                o.TokenRequestRateLimit.ReplenishmentPeriod = TimeSpan.FromMilliseconds(periodMs);
            }),
        }));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static int RetryAfter(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "no Retry-After header");
        return int.Parse(Assert.Single(values), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<AuthorityServer> StartAsync(int limit, bool enabled = true, string? apiPolicy = AuthorityServer.AdminPolicy, Action<TokenAuthorityEndpointConventionBuilder>? configureApi = null) =>
        AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = apiPolicy,
            ConfigureApi = configureApi,
            ConfigureServices = s => s.Configure<TokenAuthorityEndpointOptions>(o =>
            {
                o.TokenRequestRateLimit.Enabled = enabled;
                o.TokenRequestRateLimit.TokenLimit = limit;
                o.TokenRequestRateLimit.TokensPerPeriod = 1;
                o.TokenRequestRateLimit.ReplenishmentPeriod = TimeSpan.FromHours(1);
            }),
        });
}
