using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// What the TokenReview client lets out of the service: only tokens that claim the authority's issuer, only to the
/// authority (redirects are refused, never followed). Every other bearer value is refused without a call.
/// </summary>
public sealed class TokenReviewForwardingTests
{
    private const string InvalidBearerToken = "Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"";

    private const string RedirectedPath = "/redirected";

    private static int ReviewCalls(AuthorityServer authority) =>
        authority.Requests.Count(r => r.Method == HttpMethods.Post && r.PathAndQuery == AuthorityServer.TokenReviewPath);

    [Fact]
    public async Task Only_a_compact_jws_that_claims_the_authoritys_issuer_is_sent_for_review()
    {
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });
        await using var service = await ServiceApp.StartTokenReviewAsync(authority);
        var genuine = await authority.IssueAsync(["orders"], authority.Pod);
        var parts = genuine.Split('.');
        var notSent = new (string Case, string Token)[]
        {
            ("a Basic-like value", "dXNlcjpwYXNzd29yZA=="),
            ("garbage", "not-a-jwt"),
            ("three parts that are not JSON", "a.b.c"),
            ("two parts", $"{parts[0]}.{parts[1]}"),
            ("four parts", $"{genuine}.{parts[2]}"),
            ("no signature", $"{parts[0]}.{parts[1]}."),
            ("padded base64url", genuine + "=="),
            ("another issuer's JWT", ResignedTokens.Resign(genuine, editPayload: p => p["iss"] = "https://accounts.example.com")),
            ("the issuer with a trailing slash", ResignedTokens.Resign(genuine, editPayload: p => p["iss"] = authority.Issuer + "/")),
            ("no iss", ResignedTokens.Resign(genuine, editPayload: p => p.Remove("iss"))),
            ("iss not a string", ResignedTokens.Resign(genuine, editPayload: p => p["iss"] = new JsonArray(authority.Issuer))),
        };

        var wrong = new List<string>();
        foreach (var (name, token) in notSent)
        {
            using var response = await service.GetAsync("/orders", token);
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.WwwAuthenticate() != InvalidBearerToken)
            {
                wrong.Add($"{name}: {(int)response.StatusCode} {response.WwwAuthenticate()}");
            }
        }

        using (var basic = await service.SendAsync("/orders", "Basic dXNlcjpwYXNzd29yZA=="))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        }

        Assert.Equal(0, ReviewCalls(authority));
        Assert.Empty(wrong);
        Assert.True(service.Logs.Has(2025));

        using var accepted = await service.GetAsync("/orders", genuine);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, ReviewCalls(authority));
    }

    [Fact]
    public async Task Issuers_names_the_authoritys_issuers_when_they_are_not_its_url()
    {
        const string OldIssuer = "https://old-issuer.example.com";
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = AuthorityServer.ReviewerPolicy,
            ConfigureServices = s => s.Configure<TokenAuthorityOptions>(o => o.AcceptedIssuers.Add(OldIssuer)),
        });
        await using var byDefault = await ServiceApp.StartTokenReviewAsync(authority);
        await using var configured = await ServiceApp.StartTokenReviewAsync(authority, o =>
        {
            o.Issuers.Add(authority.Issuer);
            o.Issuers.Add(OldIssuer);
        });
        var genuine = await authority.IssueAsync(["orders"], authority.Pod);
        var migrated = ResignedTokens.Resign(genuine, editPayload: p => p["iss"] = OldIssuer);

        using var refused = await byDefault.GetAsync("/orders", migrated);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, ReviewCalls(authority));

        using var accepted = await configured.GetAsync("/orders", migrated);
        using var current = await configured.GetAsync("/orders", genuine);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(2, ReviewCalls(authority));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_from_the_authority_refuses_the_token_and_is_never_followed(int status)
    {
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = AuthorityServer.ReviewerPolicy,
            ConfigureApp = app => app.Use(async (context, next) =>
            {
                if (context.Request.Path == AuthorityServer.TokenReviewPath)
                {
                    context.Response.StatusCode = status;
                    context.Response.Headers.Location = RedirectedPath;
                    return;
                }

                await next(context);
            }),
        });
        await using var service = await ServiceApp.StartTokenReviewAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);

        Assert.DoesNotContain(authority.Requests, r => r.PathAndQuery.StartsWith(RedirectedPath, StringComparison.Ordinal));
        Assert.Equal(1, ReviewCalls(authority));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{TokenReviewErrors.Unavailable}\"", response.WwwAuthenticate());
        Assert.Contains(service.Logs.Entries, e => e.EventId.Id == 2012 && e.Message.Contains($"answered {status}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_backchannel_does_not_follow_a_redirect_either()
    {
        // A plain-http authority (local development) whose TokenReview redirects to a path that records what it receives.
        var received = new ConcurrentQueue<string>();
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var stub = builder.Build();
        stub.MapPost(AuthorityServer.TokenReviewPath, (HttpContext context) =>
        {
            context.Response.Headers.Location = RedirectedPath;
            return Results.StatusCode(StatusCodes.Status307TemporaryRedirect);
        });
        stub.MapPost(RedirectedPath, async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue(await reader.ReadToEndAsync());
            return Results.NotFound();
        });
        await stub.StartAsync();
        var url = TestHost.Address(stub).TrimEnd('/');
        await using var service = await ServiceApp.StartAsync(TokenReviewAuthenticationDefaults.AuthenticationScheme, auth => auth.AddTokenReview(o =>
        {
            o.Authority = url;
            o.RequireHttpsAuthority = false;
            o.Audiences.Add("orders");
        }));
        var token = ResignedTokens.Sign(
            new JsonObject { ["alg"] = "RS256", ["kid"] = "k" },
            new JsonObject { ["iss"] = url, ["aud"] = new JsonArray("orders"), ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });

        using var response = await service.GetAsync("/orders", token);

        Assert.Empty(received);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(service.Logs.Entries, e => e.EventId.Id == 2012 && e.Message.Contains("answered 307", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backchannel_handler_that_follows_redirects_is_refused_at_startup()
    {
        using var follows = new HttpClientHandler();
        using var followsInside = new LoggingHandler { InnerHandler = new SocketsHttpHandler() };
        using var doesNot = new LoggingHandler { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } };

        var direct = Assert.Throws<OptionsValidationException>(() => Resolve(o => o.BackchannelHttpHandler = follows));
        var wrapped = Assert.Throws<OptionsValidationException>(() => Resolve(o => o.BackchannelHttpHandler = followsInside));
        var options = Resolve(o => o.BackchannelHttpHandler = doesNot);

        Assert.Contains("follows redirects", direct.Message, StringComparison.Ordinal);
        Assert.Contains("set AllowAutoRedirect = false", wrapped.Message, StringComparison.Ordinal);
        Assert.NotNull(options.Backchannel);
    }

    [Fact]
    public void Issuers_default_to_the_authority_url_and_an_empty_entry_is_refused_at_startup()
    {
        var options = Resolve(o => o.Authority = "https://tokens.example.com/");
        var configured = Resolve(o => o.Issuers.Add("https://issuer.example.com"));
        var empty = Assert.Throws<OptionsValidationException>(() => Resolve(o => o.Issuers.Add(" ")));

        Assert.Equal(["https://tokens.example.com", "https://tokens.example.com/"], options.ExpectedIssuers!.Order(StringComparer.Ordinal));
        Assert.Equal(["https://issuer.example.com"], configured.ExpectedIssuers!);
        Assert.Contains("empty entry in Issuers", empty.Message, StringComparison.Ordinal);
    }

    private static TokenReviewAuthenticationOptions Resolve(Action<TokenReviewAuthenticationOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication().AddTokenReview(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "https://tokens.example.com";
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TokenReviewAuthenticationOptions>>().Get(TokenReviewAuthenticationDefaults.AuthenticationScheme);
    }

    private sealed class LoggingHandler : DelegatingHandler;
}
