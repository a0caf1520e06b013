using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// Stateless verification in another process: the stock JwtBearer handler, configured by
/// <c>AddTokenAuthorityJwtBearer</c>, reads the running authority's discovery and JWKS over https
/// (self-signed certificate trusted through the backchannel).
/// </summary>
public sealed class JwtBearerStatelessTests
{
    private static Task<ServiceApp> StartServiceAsync(AuthorityServer authority, bool trust = true) =>
        ServiceApp.StartAsync(JwtBearerDefaults.AuthenticationScheme, auth => auth.AddTokenAuthorityJwtBearer(
            JwtBearerDefaults.AuthenticationScheme,
            authority.Issuer,
            ["orders"],
            o =>
            {
                if (trust)
                {
                    o.BackchannelHttpHandler = PinnedCertificateAuthority.FromPemFile(authority.CertificateAuthorityFile).CreateHandler();
                }
            }));

    [Fact]
    public async Task Verifies_tokens_of_a_running_authority_over_https_discovery()
    {
        await using var authority = await AuthorityServer.StartAsync();
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var response = await service.GetAsync("/orders", token);
        var caller = await response.CallerAsync();
        using var podsOnly = await service.GetAsync("/pods-only", token);
        using var otherNamespace = await service.GetAsync("/other-namespace", token);

        Assert.Equal("system:serviceaccount:default:builder", caller.Name);
        Assert.Equal([authority.Issuer], caller.ClaimIssuers);
        Assert.Equal(["orders"], caller.Claims["aud"]);
        Assert.Equal(["default"], caller.Claims[TokenAuthorityClaimTypes.Namespace]);
        Assert.Equal(["builder"], caller.Claims[TokenAuthorityClaimTypes.ServiceAccountName]);
        Assert.Equal(["sa-uid-builder"], caller.Claims[TokenAuthorityClaimTypes.Uid]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], caller.Claims[TokenAuthorityClaimTypes.Group]);
        Assert.Equal(["web-0"], caller.Claims[TokenAuthorityClaimTypes.PodName]);
        Assert.Equal(["Pod"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);
        Assert.Equal(nameof(TokenAuthority.Verifying.TokenVerificationOutcome.Authenticated), caller.Outcome);
        Assert.Equal("web-0", caller.ResultPod);

        // The principal is the library's, not JwtBearer's copy of the payload: no raw or remapped JWT claims.
        Assert.False(caller.Claims.ContainsKey("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"));
        Assert.False(caller.Claims.ContainsKey("sub"));
        Assert.False(caller.Claims.ContainsKey("kubernetes.io"));
        Assert.Equal(HttpStatusCode.OK, podsOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.StatusCode);
    }

    [Fact]
    public async Task Refuses_another_audience_a_tampered_token_and_an_expired_token()
    {
        // The authority's clock starts two hours back: a one-hour token issued then is expired in real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions { Clock = clock });
        await using var service = await StartServiceAsync(authority);
        var expired = await authority.IssueAsync(["orders"], seconds: 3600);
        clock.Advance(TimeSpan.FromHours(2));
        var other = await authority.IssueAsync(["billing"]);
        var tampered = Tokens.TamperPayload(await authority.IssueAsync(["orders"]));
        using (var valid = await service.GetAsync("/orders", await authority.IssueAsync(["orders"])))
        {
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        }

        // Each refused for its own reason, not merely refused.
        foreach (var (token, reason) in new[] { (other, "token audiences [\\\"billing\\\"] is invalid for the target audiences [\\\"orders\\\"]\""), (tampered, "The signature is invalid"), (expired, "The token expired at ") })
        {
            using var response = await service.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = response.WwwAuthenticate();
            Assert.True(challenge?.StartsWith("Bearer error=\"invalid_token\", error_description=\"" + reason, StringComparison.Ordinal), challenge);
        }
    }

    [Fact]
    public async Task Cannot_see_bound_objects_a_deleted_pods_token_stays_valid_until_it_expires()
    {
        await using var authority = await AuthorityServer.StartAsync();
        await using var service = await StartServiceAsync(authority);
        var pod = authority.Pod;
        var token = await authority.IssueAsync(["orders"], pod);

        authority.Store.Remove(pod.Key);

        // The authority itself refuses it now; the stateless verifier cannot know.
        var review = await authority.Verifier.VerifyAsync(token, ["orders"]);
        Assert.Equal("service account token has been invalidated", review.Error);
        using var response = await service.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_bound_to_a_kind_this_service_was_not_told_about_is_refused_as_the_verifier_refuses_it()
    {
        var workflow = new BoundObjectKind { Kind = "Workflow", Group = "example.com", Resource = "workflows" };
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureServices = s => s.Configure<TokenAuthorityOptions>(o => o.BoundObjectKinds.Add(workflow)),
        });
        authority.Store.Set(new BoundObject { Kind = "Workflow", Namespace = "default", Name = "wf-1", Uid = "wf-uid-1" });
        await using var told = await ServiceApp.StartAsync(JwtBearerDefaults.AuthenticationScheme, auth => auth.AddTokenAuthorityJwtBearer(
            JwtBearerDefaults.AuthenticationScheme, authority.Issuer, ["orders"], [workflow],
            o => o.BackchannelHttpHandler = authority.CreateHandler()));
        await using var notTold = await StartServiceAsync(authority);
        var status = await authority.Services.GetRequiredService<ITokenIssuer>().IssueAsync("default", "builder", new TokenRequestSpec
        {
            Audiences = ["orders"],
            BoundObjectRef = new BoundObjectReference { Kind = "Workflow", ApiVersion = "example.com/v1", Name = "wf-1" },
        });

        var caller = await (await told.GetAsync("/orders", status.Token)).CallerAsync();
        using var refused = await notTold.GetAsync("/orders", status.Token);

        Assert.Equal(["Workflow"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectKind]);
        Assert.Equal(["wf-uid-1"], caller.Claims[TokenAuthorityClaimTypes.BoundObjectUid]);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"service account token is bound to an object this authority cannot check (\\\"workflow\\\")\"",
            refused.WwwAuthenticate());
    }

    [Fact]
    public async Task Untrusted_authority_certificate_refuses_the_token_with_401_not_500()
    {
        await using var authority = await AuthorityServer.StartAsync();
        await using var service = await StartServiceAsync(authority, trust: false);
        var token = await authority.IssueAsync(["orders"]);

        using var response = await service.GetAsync("/orders", token);
        using var other = await service.GetAsync("/public", null);

        // The keys could not be fetched over an untrusted connection, so no signature can verify.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The signature key was not found\"", response.WwwAuthenticate());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_token_whose_kid_names_no_published_key_even_when_a_published_key_verifies_it()
    {
        await using var authority = await AuthorityServer.StartAsync();
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        // Both are signed by the one key the JWKS publishes; only the kid differs.
        var resigned = ResignedTokens.Resign(token);
        var unknownKid = ResignedTokens.Resign(token, editHeader: h => h["kid"] = "not-a-published-key");
        var noKid = ResignedTokens.Resign(token, editHeader: h => h.Remove("kid"));
        using var control = await service.GetAsync("/orders", resigned);
        using var response = await service.GetAsync("/orders", unknownKid);
        using var withoutKid = await service.GetAsync("/orders", noKid);

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The signature key was not found\"", response.WwwAuthenticate());

        // Stricter than Kubernetes, which tries every key for a token without a kid; its tokens always carry one.
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKid.StatusCode);
    }

    [Fact]
    public async Task Refuses_other_algorithms_and_a_missing_or_foreign_issuer_audience_or_expiry_even_when_genuinely_signed()
    {
        await using var authority = await AuthorityServer.StartAsync();
        await using var service = await StartServiceAsync(authority);
        var token = await authority.IssueAsync(["orders"], authority.Pod);
        var cases = new (string Case, string Token)[]
        {
            ("RS384", ResignedTokens.Resign(token, editHeader: h => h["alg"] = "RS384")),
            ("RS512", ResignedTokens.Resign(token, editHeader: h => h["alg"] = "RS512")),
            ("PS256", ResignedTokens.Resign(token, editHeader: h => h["alg"] = "PS256")),
            ("foreign issuer", ResignedTokens.Resign(token, editPayload: p => p["iss"] = "https://other.example.com")),
            ("no issuer", ResignedTokens.Resign(token, editPayload: p => p.Remove("iss"))),
            ("foreign audience", ResignedTokens.Resign(token, editPayload: p => p["aud"] = new System.Text.Json.Nodes.JsonArray("billing"))),
            ("no audience", ResignedTokens.Resign(token, editPayload: p => p.Remove("aud"))),
            ("no exp", ResignedTokens.Resign(token, editPayload: p => p.Remove("exp"))),
        };
        using (var control = await service.GetAsync("/orders", ResignedTokens.Resign(token)))
        {
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        }

        var accepted = new List<string>();
        foreach (var (name, forged) in cases)
        {
            using var response = await service.GetAsync("/orders", forged);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                accepted.Add($"{name}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void Configures_jwtbearer_strictly()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication().AddTokenAuthorityJwtBearer("https://tokens.example.com", "orders");
        using var provider = services.BuildServiceProvider();

        var o = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var p = o.TokenValidationParameters;

        Assert.Equal("https://tokens.example.com", o.Authority);
        Assert.True(o.RequireHttpsMetadata);
        Assert.False(o.MapInboundClaims);
        Assert.Equal("https://tokens.example.com", p.ValidIssuer);
        Assert.Equal(["orders"], p.ValidAudiences);
        Assert.True(p.ValidateIssuer && p.ValidateAudience && p.ValidateLifetime && p.RequireExpirationTime && p.RequireSignedTokens && p.ValidateIssuerSigningKey);
        Assert.Equal(TimeSpan.FromSeconds(60), p.ClockSkew);
        Assert.Equal(["RS256", "ES256", "ES384", "ES512"], p.ValidAlgorithms);
        Assert.Equal("sub", p.NameClaimType);
        Assert.False(p.TryAllIssuerSigningKeys);
    }

    [Theory]
    [InlineData("http://tokens.example.com", "orders")]
    [InlineData("tokens.example.com", "orders")]
    [InlineData("https://tokens.example.com?x=1", "orders")]
    [InlineData("https://tokens.example.com", " ")]
    public void Refuses_an_unsafe_configuration_at_registration(string authority, string audience)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddAuthentication().AddTokenAuthorityJwtBearer(authority, audience));
    }

    [Fact]
    public void Refuses_no_audience_at_registration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddAuthentication().AddTokenAuthorityJwtBearer("Bearer", "https://tokens.example.com", [], null));
    }
}
