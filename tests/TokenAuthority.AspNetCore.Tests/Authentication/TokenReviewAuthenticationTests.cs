using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// Bound-object-aware verification in another process: the TokenReview scheme asks the running authority
/// (https, self-signed CA file) and caches positive answers only, on the injected clock.
/// </summary>
public sealed class TokenReviewAuthenticationTests
{
    private static string Challenge(string description) =>
        $"Bearer error=\"invalid_token\", error_description=\"{description.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    /// <summary>The real authority app; TokenReview requires the <c>kube-system/token-reviewer</c> service account.</summary>
    private static Task<AuthorityServer> StartAuthorityAsync() =>
        AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });

    private static Task<ServiceApp> StartServiceAsync(AuthorityServer authority, Action<TokenReviewAuthenticationOptions>? configure = null) =>
        ServiceApp.StartTokenReviewAsync(authority, configure);

    [Fact]
    public async Task Valid_token_is_accepted_with_the_reviewed_user_and_the_answer_is_reused_within_the_window()
    {
        await using var authority = await StartAuthorityAsync();
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders", "billing"], authority.Pod);

        var caller = await (await service.GetAsync("/orders", token)).CallerAsync();
        using var again = await service.GetAsync("/pods-only", token);

        Assert.Equal("system:serviceaccount:default:builder", caller.Name);
        Assert.Equal(["sa-uid-builder"], caller.Claims[TokenAuthorityClaimTypes.Uid]);
        Assert.Equal(["default"], caller.Claims[TokenAuthorityClaimTypes.Namespace]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], caller.Claims[TokenAuthorityClaimTypes.Group]);
        Assert.Equal(["orders"], caller.Claims[TokenAuthorityClaimTypes.Audience]);
        Assert.Equal(["web-0"], caller.Claims[TokenAuthorityClaimTypes.PodName]);
        Assert.Equal(["pod-uid-web-0"], caller.Claims[TokenAuthorityClaimTypes.PodUid]);
        Assert.Equal(["Pod"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);
        Assert.Equal(nameof(TokenVerificationOutcome.Authenticated), caller.Outcome);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, authority.Reviews);
        Assert.True(service.Logs.Has(2020));
    }

    [Fact]
    public async Task Token_of_a_deleted_pod_stops_working_within_the_cache_window()
    {
        await using var authority = await StartAuthorityAsync();
        await using var service = await StartServiceAsync(authority);
        var pod = authority.Pod;
        var token = await authority.IssueAsync(["orders"], pod);
        using (var first = await service.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        authority.Store.Remove(pod.Key);

        // Within the window the cached positive answer may still be used (as kube-apiserver does)...
        service.Clock.Advance(TimeSpan.FromSeconds(9));
        using (var cached = await service.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            Assert.Equal(1, authority.Reviews);
        }

        // ...but no longer than the window: the next review says no.
        service.Clock.Advance(TimeSpan.FromSeconds(1));
        using var refused = await service.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(Challenge("service account token has been invalidated"), refused.WwwAuthenticate());
        Assert.Equal(2, authority.Reviews);
    }

    [Fact]
    public async Task Cached_answer_never_outlives_the_tokens_exp_plus_the_60_s_leeway()
    {
        await using var clocks = await SharedClockAsync(o => o.CacheDuration = TokenReviewAuthenticationDefaults.MaxCacheDuration);
        var (authority, service) = (clocks.Authority, clocks.Service);
        var token = await authority.IssueAsync(["orders"], authority.Pod, seconds: 600);
        clocks.Advance(TimeSpan.FromSeconds(595));

        // exp is 5 s away: the 5-minute window is cut to exp + 60 s, as long as the authority itself accepts the token.
        using (var first = await service.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        clocks.Advance(TimeSpan.FromSeconds(64));
        using (var cached = await service.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            Assert.Equal(1, authority.Reviews);
        }

        clocks.Advance(TimeSpan.FromSeconds(2));
        using var expired = await service.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(Challenge("service account token has expired"), expired.WwwAuthenticate());
        Assert.Equal(2, authority.Reviews);
    }

    [Fact]
    public async Task Answer_for_a_token_already_past_its_exp_is_not_cached()
    {
        await using var clocks = await SharedClockAsync();
        var (authority, service) = (clocks.Authority, clocks.Service);
        var token = await authority.IssueAsync(["orders"], authority.Pod, seconds: 600);

        // Past exp but inside the leeway: the authority still says yes, each time it is asked.
        clocks.Advance(TimeSpan.FromSeconds(630));
        using var first = await service.GetAsync("/orders", token);
        using var second = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, authority.Reviews);
    }

    [Fact]
    public async Task With_caching_off_a_deleted_pods_token_is_refused_on_the_very_next_request()
    {
        await using var authority = await StartAuthorityAsync();
        await using var service = await StartServiceAsync(authority, o => o.CacheDuration = TimeSpan.Zero);
        var pod = authority.Pod;
        var token = await authority.IssueAsync(["orders"], pod);
        using (var first = await service.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        authority.Store.Remove(pod.Key);

        using var refused = await service.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(Challenge("service account token has been invalidated"), refused.WwwAuthenticate());
        Assert.Equal(2, authority.Reviews);
    }

    [Fact]
    public async Task Negative_answers_are_never_cached_and_carry_the_kubernetes_text()
    {
        await using var authority = await StartAuthorityAsync();
        await using var service = await StartServiceAsync(authority);
        var other = await authority.IssueAsync(["billing"]);

        using var first = await service.GetAsync("/orders", other);
        using var second = await service.GetAsync("/orders", other);
        using var garbage = await service.GetAsync("/orders", "not-a-jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"billing\\\"] is invalid for the target audiences [\\\"orders\\\"]\"", first.WwwAuthenticate());
        Assert.Equal(first.WwwAuthenticate(), second.WwwAuthenticate());
        Assert.Equal(Challenge("invalid bearer token"), garbage.WwwAuthenticate());

        // Garbage is refused with the authority's text without asking it (see TokenReviewForwardingTests).
        Assert.Equal(2, authority.Reviews);
    }

    [Fact]
    public async Task Reviewer_refused_by_the_authority_fails_closed_with_a_distinct_logged_reason()
    {
        await using var authority = await StartAuthorityAsync();
        await using var service = await StartServiceAsync(authority, o => o.ReviewerToken = "wrong");
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
        Assert.True(service.Logs.Has(2012, " answered "));
        Assert.True(service.Logs.Has(2012));
        Assert.DoesNotContain(service.Logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reviewer_the_authority_authenticates_but_does_not_allow_to_review_fails_closed()
    {
        await using var authority = await StartAuthorityAsync();

        // A genuine token for the API audience, but of default/builder, not of the token reviewer.
        var notAReviewer = await authority.IssueAsync([]);
        await using var service = await StartServiceAsync(authority, o => o.ReviewerToken = notAReviewer);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
        Assert.True(service.Logs.Has(2012, " answered "));
        Assert.Contains(service.Logs.Entries, e => e.EventId.Id == 2012 && e.Message.Contains("answered 403", StringComparison.Ordinal));
        Assert.Equal(0, authority.Reviews);
    }

    [Fact]
    public async Task Reviewer_token_file_is_re_read_once_a_minute_so_rotation_is_picked_up()
    {
        await using var authority = await StartAuthorityAsync();
        var file = Path.Combine(Path.GetTempPath(), $"tokenauthority-reviewer-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, authority.ReviewerToken + "\n");
        try
        {
            await using var service = await StartServiceAsync(authority, o =>
            {
                o.ReviewerToken = null;
                o.ReviewerTokenFile = file;
                o.CacheDuration = TimeSpan.Zero;
            });
            var token = await authority.IssueAsync(["orders"], authority.Pod);
            using (var first = await service.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }

            await File.WriteAllTextAsync(file, "rotated-but-wrong");
            service.Clock.Advance(TimeSpan.FromSeconds(59));
            using (var stillOld = await service.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.OK, stillOld.StatusCode);
            }

            service.Clock.Advance(TimeSpan.FromSeconds(1));
            using (var reRead = await service.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, reRead.StatusCode);
                Assert.True(service.Logs.Has(2012, " answered "));
            }

            await File.WriteAllTextAsync(file, authority.ReviewerToken);
            service.Clock.Advance(TimeSpan.FromMinutes(1));
            using var rotatedBack = await service.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.OK, rotatedBack.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Reviewer_token_and_file_together_or_a_missing_file_are_refused_at_startup()
    {
        var both = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "https://a.example.com";
            o.ReviewerToken = "t";
            o.ReviewerTokenFile = "/nonexistent/token";
        }));
        var missing = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "https://a.example.com";
            o.ReviewerTokenFile = "/nonexistent/token";
        }));

        Assert.Contains("both ReviewerToken and ReviewerTokenFile", both.Message, StringComparison.Ordinal);
        Assert.Contains("ReviewerTokenFile /nonexistent/token does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_authority_fails_closed_and_the_service_keeps_serving()
    {
        var port = FreePort();
        await using var service = await ServiceApp.StartAsync(TokenReviewAuthenticationDefaults.AuthenticationScheme, auth => auth.AddTokenReview(o =>
        {
            o.Authority = $"https://127.0.0.1:{port}";
            o.Audiences.Add("orders");
        }));

        var token = ResignedTokens.Sign(
            new System.Text.Json.Nodes.JsonObject { ["alg"] = "RS256", ["kid"] = "k" },
            new System.Text.Json.Nodes.JsonObject { ["iss"] = $"https://127.0.0.1:{port}", ["aud"] = new System.Text.Json.Nodes.JsonArray("orders") });
        using var response = await service.GetAsync("/orders", token);
        using var other = await service.GetAsync("/public", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
        Assert.True(service.Logs.Has(2012, " failed: "));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Authority_that_does_not_answer_in_time_fails_closed()
    {
        await using var authority = await StartAuthorityAsync();
        authority.HangReviews = true;
        await using var service = await StartServiceAsync(authority, o => o.BackchannelTimeout = TimeSpan.FromMilliseconds(300));
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
        Assert.True(service.Logs.Has(2012, " did not answer within "));
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_not_trusted()
    {
        await using var authority = await StartAuthorityAsync();
        using var stranger = TestCertificates.CreateLoopback("CN=stranger");
        var strangerFile = TestCertificates.WritePem(stranger);
        try
        {
            await using var service = await StartServiceAsync(authority, o => o.CertificateAuthorityFile = strangerFile);
            var token = await authority.IssueAsync(["orders"], authority.Pod);

            using var response = await service.GetAsync("/orders", token);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
            Assert.True(service.Logs.Has(2012, " failed: "));
            Assert.Equal(0, authority.Reviews);
        }
        finally
        {
            File.Delete(strangerFile);
        }
    }

    [Theory]
    [InlineData("""{"username":"alice","groups":["system:authenticated"]}""", "not a service account")]
    [InlineData("""{"username":"system:serviceaccount:default:builder:x","groups":["system:authenticated"]}""", "not a service account")]
    [InlineData("""{"username":"system:serviceaccount:default:builder","extra":{"authentication.kubernetes.io/pod-name":["web-0"]}}""", "a pod name without its uid")]
    [InlineData("""{"username":"system:serviceaccount:default:builder","extra":{"authentication.kubernetes.io/pod-name":["web-0"],"authentication.kubernetes.io/pod-uid":["u"],"authentication.tokenauthority.io/bound-object-kind":["Secret"],"authentication.tokenauthority.io/bound-object-name":["creds"]}}""", "two bindings")]
    public async Task A_positive_answer_for_no_consistent_service_account_fails_closed(string user, string reason)
    {
        // An authority that says yes to everything, for a user no service-account identity can be rebuilt from.
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = AuthorityServer.ReviewerPolicy,
            ConfigureApp = app => app.Use(async (context, next) =>
            {
                if (context.Request.Path == AuthorityServer.TokenReviewPath)
                {
                    context.Response.StatusCode = StatusCodes.Status201Created;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(
                        """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{},"status":{"authenticated":true,"user":"""
                        + user + ""","audiences":["orders"]}}""");
                    return;
                }

                await next(context);
            }),
        });
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(TokenReviewErrors.Unavailable), response.WwwAuthenticate());
        Assert.True(
            service.Logs.Entries.Any(e => e.EventId.Id == 2012 && e.Message.Contains("sent an answer that is not a valid TokenReview", StringComparison.Ordinal) && e.Message.Contains("not a service account, or whose extras contradict each other", StringComparison.Ordinal)),
            reason);
        Assert.Equal(1, authority.Reviews);
    }

    [Fact]
    public async Task A_secret_binding_reported_in_our_extras_reaches_the_principal()
    {
        // The same stand-in authority, with a consistent answer: the control for the test above.
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = AuthorityServer.ReviewerPolicy,
            ConfigureApp = app => app.Use(async (context, next) =>
            {
                if (context.Request.Path == AuthorityServer.TokenReviewPath)
                {
                    context.Response.StatusCode = StatusCodes.Status201Created;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(
                        """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"system:serviceaccount:default:builder","uid":"sa-uid-builder","groups":["system:serviceaccounts","system:serviceaccounts:default"],"extra":{"authentication.tokenauthority.io/bound-object-kind":["Secret"],"authentication.tokenauthority.io/bound-object-name":["creds"],"authentication.tokenauthority.io/bound-object-uid":["secret-uid-creds"]}},"audiences":["orders"]}}""");
                    return;
                }

                await next(context);
            }),
        });
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        var caller = await (await service.GetAsync("/orders", token)).CallerAsync();

        Assert.Equal(["Secret"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);
        Assert.Equal(["creds"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectName]);
        Assert.Equal(["secret-uid-creds"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectUid]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], caller.Claims[TokenAuthorityClaimTypes.Group]);
        Assert.False(caller.Claims.ContainsKey("authentication.tokenauthority.io/bound-object-kind"));
    }

    [Theory]
    [InlineData(null, "https://a.example.com", 10, "accepts no audience")]
    [InlineData("orders", null, 10, "has no Authority")]
    [InlineData("orders", "http://a.example.com", 10, "unencrypted")]
    [InlineData("orders", "https://a.example.com?q=1", 10, "without query or fragment")]
    [InlineData("orders", "not a url", 10, "not an absolute http(s) URL")]
    [InlineData("orders", "https://a.example.com", -1, "CacheDuration")]
    [InlineData("orders", "https://a.example.com", 301, "CacheDuration")]
    public void Unsafe_options_are_refused_at_startup(string? audience, string? authority, int cacheSeconds, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            if (audience is not null)
            {
                o.Audiences.Add(audience);
            }

            o.Authority = authority;
            o.CacheDuration = TimeSpan.FromSeconds(cacheSeconds);
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_ca_file_and_ambiguous_trust_are_refused_at_startup()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "https://a.example.com";
            o.CertificateAuthorityFile = "/nonexistent/ca.crt";
        }));
        using var handler = new HttpClientHandler();
        var both = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "https://a.example.com";
            o.CertificateAuthorityFile = "/nonexistent/ca.crt";
            o.BackchannelHttpHandler = handler;
        }));

        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("both BackchannelHttpHandler and CertificateAuthorityFile", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_is_allowed_only_when_explicitly_requested()
    {
        var options = Resolve(o =>
        {
            o.Audiences.Add("orders");
            o.Authority = "http://127.0.0.1:1";
            o.RequireHttpsAuthority = false;
        });

        Assert.Equal(TimeSpan.FromSeconds(10), options.CacheDuration);
        Assert.NotNull(options.Backchannel);
    }

    /// <summary>An authority and a service on clocks that show the same time and move together.</summary>
    private static async Task<SharedClock> SharedClockAsync(Action<TokenReviewAuthenticationOptions>? configure = null)
    {
        var authorityClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy, Clock = authorityClock });
        var service = await StartServiceAsync(authority, configure);
        authorityClock.SetUtcNow(service.Clock.GetUtcNow());
        return new SharedClock(authority, authorityClock, service);
    }

    private sealed record SharedClock(AuthorityServer Authority, FakeTimeProvider AuthorityClock, ServiceApp Service) : IAsyncDisposable
    {
        public void Advance(TimeSpan delta)
        {
            AuthorityClock.Advance(delta);
            Service.Clock.Advance(delta);
        }

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            await Authority.DisposeAsync();
        }
    }

    private static TokenReviewAuthenticationOptions Resolve(Action<TokenReviewAuthenticationOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication().AddTokenReview(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TokenReviewAuthenticationOptions>>().Get(TokenReviewAuthenticationDefaults.AuthenticationScheme);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
