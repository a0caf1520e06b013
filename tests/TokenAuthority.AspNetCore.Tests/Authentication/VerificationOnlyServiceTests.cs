using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// A service that only verifies registers its scheme without making it the default (docs/authentication.md, "A service
/// that only verifies"): an anonymous endpoint never sends a token to the authority, a protected one asks through its
/// policy. And the accident it avoids: a default scheme, named or automatic, reviews tokens sent to anonymous endpoints too.
/// </summary>
[Collection(nameof(ProcessWideSwitchTests))]
public sealed class VerificationOnlyServiceTests
{
    private const string SuppressAutoDefaultScheme = "Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme";

    /// <summary>The lines of the docs snippet that the test runs as written (the option values are the test authority's).</summary>
    private static readonly string[] Snippet =
    [
        """AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);   // else a lone scheme becomes the default""",
        """builder.Services.AddAuthentication()                                   // no default scheme""",
        """.AddTokenReview(o =>""",
        """o.Audiences.Add("orders");""",
        """builder.Services.AddAuthorizationBuilder()""",
        """.AddPolicy("orders", p => p.AddAuthenticationSchemes(TokenReviewAuthenticationDefaults.AuthenticationScheme).RequireNamespace("shop"));""",
        """var app = builder.Build();""",
        """app.MapGet("/orders", (HttpContext ctx) => $"hello {ctx.User.Identity!.Name}").RequireAuthorization("orders");""",
        """app.MapGet("/healthz", () => "ok");   // anonymous: a token sent here is never read, the authority never asked""",
    ];

    [Fact]
    public async Task Anonymous_endpoints_never_call_the_authority_and_protected_ones_ask_through_their_policy()
    {
        await using var authority = await StartAuthorityAsync();
        var token = await ShopTokenAsync(authority);
        await using var app = await StartDocumentedServiceAsync(authority);
        using var client = app.GetTestClient();

        using (var health = await client.SendAsync(Get("/healthz", token)))
        {
            Assert.Equal("ok", await health.Content.ReadAsStringAsync());
            Assert.Equal(0, authority.Reviews);
        }

        using (var anonymous = await client.SendAsync(Get("/orders", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        }

        using var orders = await client.SendAsync(Get("/orders", token));
        Assert.Equal("hello system:serviceaccount:shop:web", await orders.Content.ReadAsStringAsync());
        Assert.Equal(1, authority.Reviews);
    }

    [Theory]
    [InlineData(true)]   // AddAuthentication("TokenReview")
    [InlineData(false)]  // AddAuthentication() with the scheme alone: ASP.NET Core makes it the default
    public async Task With_a_default_scheme_a_token_sent_to_an_anonymous_endpoint_is_reviewed_too(bool named)
    {
        await using var authority = await StartAuthorityAsync();
        var token = await ShopTokenAsync(authority);
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseTestServer();
        var authentication = named ? builder.Services.AddAuthentication(TokenReviewAuthenticationDefaults.AuthenticationScheme) : builder.Services.AddAuthentication();
        authentication.AddTokenReview(o => ServiceApp.AskAuthority(o, authority));
        await using var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var health = await client.SendAsync(Get("/healthz", token));

        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        Assert.Equal(1, authority.Reviews);
    }

    [Fact]
    public async Task Without_a_default_scheme_a_requirement_that_names_no_scheme_cannot_authenticate()
    {
        await using var authority = await StartAuthorityAsync();
        var token = await ShopTokenAsync(authority);
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseTestServer();

        // Two schemes, as OrdersApi: no default, automatic or named, and no switch needed.
        builder.Services.AddAuthentication()
            .AddTokenAuthorityJwtBearer(authority.Issuer, "orders")
            .AddTokenReview(o => ServiceApp.AskAuthority(o, authority));
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.MapGet("/orders", () => "orders").RequireNamespace("shop");
        await app.StartAsync();
        using var client = app.GetTestClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(Get("/orders", token)));

        Assert.Contains("No authenticationScheme was specified", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, authority.Reviews);
    }

    [Fact]
    public void The_docs_show_the_snippet_as_the_test_runs_it()
    {
        foreach (var file in new[] { "docs/authentication.md", "README.md" })
        {
            var docs = RepositoryFiles.ReadAllText(file);
            foreach (var line in Snippet)
            {
                Assert.Contains(line, docs, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The docs snippet as written, but for the option values (the test authority's); the switch is set back once the app is built.</summary>
    private static async Task<WebApplication> StartDocumentedServiceAsync(AuthorityServer authority)
    {
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseTestServer();
        try
        {
            // --- docs/authentication.md "A service that only verifies: no default scheme" ---
            AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);   // else a lone scheme becomes the default
            builder.Services.AddAuthentication()                                   // no default scheme
                .AddTokenReview(o =>
                {
                    o.Authority = authority.Issuer;
                    o.Audiences.Add("orders");
                    o.ReviewerToken = authority.ReviewerToken;
                    o.CertificateAuthorityFile = authority.CertificateAuthorityFile;
                });
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy("orders", p => p.AddAuthenticationSchemes(TokenReviewAuthenticationDefaults.AuthenticationScheme).RequireNamespace("shop"));

            var app = builder.Build();
            app.MapGet("/orders", (HttpContext ctx) => $"hello {ctx.User.Identity!.Name}").RequireAuthorization("orders");
            app.MapGet("/healthz", () => "ok");   // anonymous: a token sent here is never read, the authority never asked
            // --- end ---
            await app.StartAsync();
            return app;
        }
        finally
        {
            AppContext.SetSwitch(SuppressAutoDefaultScheme, false);
        }
    }

    private static Task<AuthorityServer> StartAuthorityAsync() =>
        AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });

    private static Task<string> ShopTokenAsync(AuthorityServer authority)
    {
        authority.Store.AddServiceAccount("shop", "web");
        return authority.IssueAsync(["orders"], ns: "shop", serviceAccount: "web");
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return request;
    }
}
