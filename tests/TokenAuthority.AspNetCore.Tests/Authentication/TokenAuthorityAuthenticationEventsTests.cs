using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The JwtBearer-style events: message received, token validated, authentication failed, challenge, forbidden.</summary>
public sealed class TokenAuthorityAuthenticationEventsTests
{
    [Fact]
    public async Task MessageReceived_can_supply_the_token_from_elsewhere()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnMessageReceived = c =>
        {
            c.Token = c.Request.Query["access_token"];
            return Task.CompletedTask;
        });
        var token = await app.IssueAsync(["orders"], app.Pod);

        using var response = await app.GetAsync("/orders?access_token=" + token, null);
        using var withoutIt = await app.GetAsync("/orders", null);

        Assert.Equal("system:serviceaccount:default:builder", (await response.CallerAsync()).Name);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutIt.StatusCode);
    }

    [Fact]
    public async Task MessageReceived_token_that_is_malformed_is_refused()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnMessageReceived = c =>
        {
            c.Token = "has space";
            return Task.CompletedTask;
        });

        using var response = await app.GetAsync("/orders", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"bearer token is malformed\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task TokenValidated_can_reject_a_valid_token_and_can_add_claims()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnTokenValidated = c =>
        {
            if (c.VerificationResult.Claims?.BoundObject is { Kind: "Pod", Reference.Name: "web-0" })
            {
                c.Fail("pods named web-0 are not welcome");
            }
            else
            {
                ((ClaimsIdentity)c.Principal!.Identity!).AddClaim(new Claim("tier", "gold"));
            }

            return Task.CompletedTask;
        });
        var podBound = await app.IssueAsync(["orders"], app.Pod);
        var unbound = await app.IssueAsync(["orders"]);

        using var refused = await app.GetAsync("/orders", podBound);
        var caller = await (await app.GetAsync("/orders", unbound)).CallerAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // Only texts this package wrote go into the header; an event's own message is not shown.
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"", refused.WwwAuthenticate());
        Assert.True(app.Logs.Has(2010, "refused_by_event"));
        Assert.Equal(["gold"], caller.Claims["tier"]);
    }

    [Fact]
    public async Task AuthenticationFailed_sees_the_typed_failure_and_can_replace_the_result()
    {
        TokenVerificationFailure? seen = null;
        TokenVerificationResult? seenResult = null;
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnAuthenticationFailed = c =>
        {
            seen = ((TokenAuthorityAuthenticationException)c.Exception).Failure;
            seenResult = c.VerificationResult;
            if (c.Request.Headers.ContainsKey("X-Let-Through"))
            {
                c.NoResult();
            }

            return Task.CompletedTask;
        });
        var token = await app.IssueAsync(["orders"], app.Pod, seconds: 3600);
        app.Clock.Advance(TimeSpan.FromHours(2));

        using var response = await app.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(TokenVerificationFailure.Expired, seen);
        Assert.Equal("service account token has expired", seenResult?.Error);

        // NoResult from the event: the request is anonymous, so the challenge has no error.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("X-Let-Through", "1");
        using var anonymous = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.WwwAuthenticate());
    }

    [Fact]
    public async Task Challenge_can_change_the_parameters_or_write_its_own_response()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnChallenge = async c =>
        {
            if (c.Request.Path == "/builder-only")
            {
                c.HandleResponse();
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await c.Response.WriteAsync("custom");
            }
            else
            {
                c.ErrorUri = "https://docs.example.com/tokens";
            }
        });

        using var custom = await app.GetAsync("/builder-only", "garbage");
        using var withUri = await app.GetAsync("/orders", "garbage");

        Assert.Equal("custom", await custom.Content.ReadAsStringAsync());
        Assert.Null(custom.WwwAuthenticate());
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"invalid bearer token\", error_uri=\"https://docs.example.com/tokens\"", withUri.WwwAuthenticate());
    }

    [Fact]
    public async Task Forbidden_is_raised_for_a_policy_failure()
    {
        string? forbiddenUser = null;
        await using var app = await ProtectedApp.StartAsync(o => o.Events.OnForbidden = c =>
        {
            forbiddenUser = c.HttpContext.User.Identity?.Name;
            return Task.CompletedTask;
        });
        var token = await app.IssueAsync(["orders"], app.Pod);

        using var response = await app.GetAsync("/kube-system", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("system:serviceaccount:default:builder", forbiddenUser);
    }

    [Fact]
    public async Task Events_type_from_services_is_used()
    {
        await using var app = await ProtectedApp.StartAsync(
            o => o.EventsType = typeof(RejectAllEvents),
            services: s => s.AddSingleton<RejectAllEvents>());
        var token = await app.IssueAsync(["orders"], app.Pod);

        using var response = await app.GetAsync("/orders", token);

        // Refused by the events type (event 2008), not for some other reason: the token itself is valid.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"", response.WwwAuthenticate());
        Assert.True(app.Logs.Has(2010, "refused_by_event"));
        Assert.True((await app.Services.GetRequiredService<ITokenVerifier>().VerifyAsync(token, ["orders"])).Succeeded);
    }

    private sealed class RejectAllEvents : TokenAuthorityAuthenticationEvents
    {
        public override Task TokenValidated(TokenAuthorityTokenValidatedContext context)
        {
            context.Fail("no");
            return Task.CompletedTask;
        }
    }
}
