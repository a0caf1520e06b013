using TokenAuthority.Tests.TestSupport;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Binding;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The TokenAuthority scheme in-process (TestHost): what it accepts, and the exact 401/403 answers of what it refuses.</summary>
public sealed class TokenAuthorityAuthenticationHandlerTests
{
    private const string CryptoError = "go-jose/go-jose: error in cryptographic primitive";

    private static string Challenge(string description) =>
        $"Bearer error=\"invalid_token\", error_description=\"{description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    [Fact]
    public async Task Valid_pod_bound_token_for_the_audience_is_accepted_with_the_documented_claims()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders", "billing"], app.Pod);

        var caller = await (await app.GetAsync("/orders", token)).CallerAsync();

        Assert.Equal("system:serviceaccount:default:builder", caller.Name);
        Assert.Equal(["system:serviceaccount:default:builder"], caller.Claims[TokenAuthorityClaimTypes.Username]);
        Assert.Equal(["sa-uid-builder"], caller.Claims[TokenAuthorityClaimTypes.Uid]);
        Assert.Equal(["default"], caller.Claims[TokenAuthorityClaimTypes.Namespace]);
        Assert.Equal(["builder"], caller.Claims[TokenAuthorityClaimTypes.ServiceAccountName]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], caller.Claims[TokenAuthorityClaimTypes.Group]);
        Assert.Equal(["orders"], caller.Claims[TokenAuthorityClaimTypes.Audience]);
        Assert.Equal(["web-0"], caller.Claims[TokenAuthorityClaimTypes.PodName]);
        Assert.Equal(["pod-uid-web-0"], caller.Claims[TokenAuthorityClaimTypes.PodUid]);
        Assert.Equal(["node-1"], caller.Claims[TokenAuthorityClaimTypes.NodeName]);
        Assert.StartsWith("JTI=", Assert.Single(caller.Claims[TokenAuthorityClaimTypes.CredentialId]), StringComparison.Ordinal);
        Assert.Equal(["Pod"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);

        // The typed view.
        Assert.Equal(nameof(TokenVerificationOutcome.Authenticated), caller.Outcome);
        Assert.Equal("system:serviceaccount:default:builder", caller.ResultUsername);
        Assert.Equal(["orders"], caller.ResultAudiences!);
        Assert.Equal("web-0", caller.ResultPod);
        Assert.True(app.Logs.Has(2001));
    }

    [Fact]
    public async Task Token_for_another_audience_is_refused_with_the_kubernetes_text()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["billing"], app.Pod);

        using var response = await app.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"billing\\\"] is invalid for the target audiences [\\\"orders\\\"]\"",
            response.WwwAuthenticate());
    }

    [Fact]
    public async Task Expired_token_is_refused_after_the_60_second_leeway()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders"], app.Pod, seconds: 3600);

        app.Clock.Advance(TimeSpan.FromSeconds(3600 + 60));
        using (var stillValid = await app.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        using var response = await app.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("service account token has expired"), response.WwwAuthenticate());
    }

    [Fact]
    public async Task Token_of_a_deleted_pod_is_refused_on_the_very_next_request()
    {
        await using var app = await ProtectedApp.StartAsync();
        var pod = app.Pod;
        var token = await app.IssueAsync(["orders"], pod);
        using (var before = await app.GetAsync("/orders", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.True(app.Store.Remove(pod.Key));

        using var response = await app.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("service account token has been invalidated"), response.WwwAuthenticate());
    }

    [Fact]
    public async Task Token_of_a_recreated_pod_with_a_new_uid_is_refused()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders"], app.Pod);
        app.Store.AddPod("default", "web-0", "builder", nodeName: "node-1", uid: "pod-uid-2");

        using var response = await app.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The response keeps Kubernetes' reason but not the live pod's uid (a token holder must not learn it); the log has it.
        Assert.Equal(Challenge("pod UID does not match service account pod ref claim (pod-uid-web-0)"), response.WwwAuthenticate());
        Assert.DoesNotContain("pod-uid-2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 1020 && e.Message.Contains("pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid-web-0)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tampered_payload_is_refused_with_the_signature_error()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders"], app.Pod);

        using var response = await app.GetAsync("/orders", Tokens.TamperPayload(token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(CryptoError), response.WwwAuthenticate());
    }

    [Fact]
    public async Task Hmac_token_signed_with_the_public_key_is_refused()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders"], app.Pod);
        var kid = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement.GetProperty("kid").GetString();
        var unsigned = Tokens.WithHeader(token, $"{{\"alg\":\"HS256\",\"kid\":\"{kid}\"}}", "x");
        var signingInput = unsigned[..unsigned.LastIndexOf('.')];
        var publicPem = Encoding.ASCII.GetBytes(Keys.TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0].ExportPublicKeyPem());
        var forged = signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(publicPem, Encoding.ASCII.GetBytes(signingInput)));

        using var response = await app.GetAsync("/orders", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge(CryptoError), response.WwwAuthenticate());
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_refused()
    {
        await using var app = await ProtectedApp.StartAsync();
        var token = await app.IssueAsync(["orders"], app.Pod);

        using var empty = await app.GetAsync("/orders", Tokens.WithHeader(token, "{\"alg\":\"none\"}", string.Empty));
        using var junk = await app.GetAsync("/orders", Tokens.WithHeader(token, "{\"alg\":\"none\"}", "AAAA"));

        Assert.Equal(HttpStatusCode.Unauthorized, empty.StatusCode);
        // An empty signature is still a JWS of this issuer: refused with go-jose's crypto error (spec 3.1 step 4).
        Assert.Equal(Challenge(CryptoError), empty.WwwAuthenticate());
        Assert.Equal(HttpStatusCode.Unauthorized, junk.StatusCode);
        Assert.Equal(Challenge(CryptoError), junk.WwwAuthenticate());
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("Basic dXNlcjpwYXNz", "Bearer")]
    [InlineData("Negotiate abc", "Bearer")]
    [InlineData("Bearerabc", "Bearer")]
    [InlineData("Bearer", "Bearer error=\"invalid_token\", error_description=\"bearer token is empty\"")]
    [InlineData("Bearer    ", "Bearer error=\"invalid_token\", error_description=\"bearer token is empty\"")]
    [InlineData("Bearer a b", "Bearer error=\"invalid_token\", error_description=\"bearer token is malformed\"")]
    [InlineData("Bearer a\"b", "Bearer error=\"invalid_token\", error_description=\"bearer token is malformed\"")]
    [InlineData("Bearer =abc", "Bearer error=\"invalid_token\", error_description=\"bearer token is malformed\"")]
    [InlineData("Bearer abc=def", "Bearer error=\"invalid_token\", error_description=\"bearer token is malformed\"")]
    [InlineData("bearer not-a-jwt", "Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"")]
    [InlineData("Bearer a.b.c", "Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"")]
    public async Task Missing_or_malformed_authorization_header_gets_the_rfc6750_challenge(string? authorization, string expected)
    {
        await using var app = await ProtectedApp.StartAsync();

        using var response = await app.SendAsync("/orders", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(expected, response.WwwAuthenticate());
    }

    [Fact]
    public async Task Oversized_token_is_refused_before_verification()
    {
        await using var app = await ProtectedApp.StartAsync();

        using var response = await app.GetAsync("/orders", new string('a', BearerToken.MaxLength + 1));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("bearer token is malformed"), response.WwwAuthenticate());
    }

    [Fact]
    public async Task Details_can_be_turned_off()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.IncludeErrorDetails = false);
        var token = await app.IssueAsync(["billing"], app.Pod);

        using var response = await app.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task Anonymous_endpoint_ignores_a_bad_token()
    {
        await using var app = await ProtectedApp.StartAsync();

        using var response = await app.GetAsync("/public", "garbage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Authenticated_caller_failing_a_namespace_policy_gets_403()
    {
        await using var app = await ProtectedApp.StartAsync();
        var builder = await app.IssueAsync(["orders"], app.Pod);
        var controller = await app.IssueAsync(["orders"], ns: "kube-system", serviceAccount: "controller");

        using var forbidden = await app.GetAsync("/kube-system", builder);
        using var allowed = await app.GetAsync("/kube-system", controller);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Null(forbidden.WwwAuthenticate());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.True(app.Logs.Has(2007));
    }

    [Fact]
    public async Task Service_account_convention_admits_only_that_account()
    {
        await using var app = await ProtectedApp.StartAsync();
        var builder = await app.IssueAsync(["orders"], app.Pod);
        var controller = await app.IssueAsync(["orders"], ns: "kube-system", serviceAccount: "controller");

        using var allowed = await app.GetAsync("/builder-only", builder);
        using var forbidden = await app.GetAsync("/builder-only", controller);
        using var anonymous = await app.GetAsync("/builder-only", null);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.WwwAuthenticate());
    }

    [Fact]
    public async Task Bound_object_kind_convention_admits_only_pod_bound_tokens()
    {
        await using var app = await ProtectedApp.StartAsync();
        var secret = await app.Store.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Secret, "default", "creds"), default);
        var podBound = await app.IssueAsync(["orders"], app.Pod);
        var secretBound = await app.IssueAsync(["orders"], secret);
        var unbound = await app.IssueAsync(["orders"]);

        using var pod = await app.GetAsync("/pods-only", podBound);
        using var sec = await app.GetAsync("/pods-only", secretBound);
        using var none = await app.GetAsync("/pods-only", unbound);
        var secretCaller = await (await app.GetAsync("/orders", secretBound)).CallerAsync();

        Assert.Equal(HttpStatusCode.OK, pod.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sec.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(["Secret"], secretCaller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);
    }

    [Fact]
    public async Task Throwing_resolver_fails_closed_with_a_distinct_logged_reason_and_the_app_keeps_serving()
    {
        await using var app = await ProtectedApp.StartAsync(services: Switchable);
        var token = await app.IssueAsync(["orders"], app.Pod);
        app.Services.GetRequiredService<SwitchableResolver>().Mode = SwitchableResolver.Behaviour.Throw;

        using var response = await app.GetAsync("/orders", token);
        using var other = await app.GetAsync("/public", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("service account token could not be validated"), response.WwwAuthenticate());
        Assert.True(app.Logs.Has(2012));
        Assert.True(app.Logs.Has(1021));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Hanging_resolver_fails_closed_when_the_resolver_timeout_passes_on_the_injected_clock()
    {
        await using var app = await ProtectedApp.StartAsync(services: Switchable);
        var token = await app.IssueAsync(["orders"], app.Pod);
        var resolver = app.Services.GetRequiredService<SwitchableResolver>();
        resolver.Mode = SwitchableResolver.Behaviour.Hang;

        var pending = app.GetAsync("/orders", token);
        await resolver.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var other = await app.GetAsync("/public", null))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // Step the fake clock a second at a time until the lookup gives up (its timer may be registered a moment
        // after the resolver was entered); it must not give up before the 5 s resolver timeout.
        var advanced = 0;
        while (!pending.IsCompleted && advanced < 30)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            advanced++;
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(50)));
        }

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(advanced >= 5, $"gave up after {advanced} s, before the 5 s resolver timeout");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("service account token could not be validated"), response.WwwAuthenticate());
        Assert.True(app.Logs.Has(1022));
        Assert.True(app.Logs.Has(2012));
    }

    [Fact]
    public async Task Throwing_verifier_is_a_401_not_a_500()
    {
        await using var app = await ProtectedApp.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<ITokenVerifier, ThrowingVerifier>()));

        using var response = await app.GetAsync("/orders", "a.b.c");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge("the bearer token could not be verified"), response.WwwAuthenticate());
        Assert.True(app.Logs.Has(2006));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("a.b.c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_refuses_a_scheme_without_audiences()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ProtectedApp.StartAsync(o => o.Audiences.Clear()));

        Assert.Contains("accepts no audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_refuses_a_blank_audience()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ProtectedApp.StartAsync(o => o.Audiences.Add(" ")));

        Assert.Contains("empty audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_refuses_the_scheme_without_a_token_authority()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication().AddTokenAuthorityBearer(o => o.Audiences.Add("orders"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() =>
            provider.GetRequiredService<IOptionsMonitor<TokenAuthorityAuthenticationOptions>>().Get(TokenAuthorityAuthenticationDefaults.AuthenticationScheme));

        Assert.Contains("call services.AddTokenAuthority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Named_scheme_with_display_name_is_registered()
    {
        await using var app = await ProtectedApp.StartAsync(services: s => s.AddAuthentication().AddTokenAuthorityBearer("internal", "Internal callers", o => o.Audiences.Add("internal")));
        var schemes = app.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();

        var scheme = await schemes.GetSchemeAsync("internal");

        Assert.NotNull(scheme);
        Assert.Equal("Internal callers", scheme.DisplayName);
        Assert.Equal(TokenAuthorityAuthenticationDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())!.Name);
    }

    private static void Switchable(IServiceCollection services)
    {
        services.AddSingleton(sp => new SwitchableResolver(sp.GetRequiredService<InMemoryBoundObjectResolver>()));
        services.Replace(ServiceDescriptor.Singleton<IBoundObjectResolver>(sp => sp.GetRequiredService<SwitchableResolver>()));
    }

    private sealed class ThrowingVerifier : ITokenVerifier
    {
        public ValueTask<TokenVerificationResult> VerifyAsync(string token, IReadOnlyList<string>? audiences = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("bug in verifier");
    }
}
