using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests;

/// <summary>README.md's "Protect an endpoint" and "Serve the Kubernetes API" snippets, run as one app and kept in the README word for word.</summary>
public sealed class ReadmeSnippetTests
{
    /// <summary>The resolver a reader writes; here the in-memory store with the objects the test needs.</summary>
    private sealed class MyResolver : IBoundObjectResolver
    {
        private readonly InMemoryBoundObjectResolver _store = new();

        public MyResolver()
        {
            _store.AddServiceAccount("shop", "web");
            _store.AddServiceAccount("kube-system", "token-admin");
        }

        public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken) => _store.ResolveAsync(key, cancellationToken);
    }

    private static readonly string[] ProtectSnippet =
    [
        """builder.Services.AddTokenAuthority(o => o.Issuer = "https://tokens.example.com").AddBoundObjectResolver<MyResolver>();""",
        """builder.Services.AddAuthentication(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)""",
        """.AddTokenAuthorityBearer(o => o.Audiences.Add("orders"));""",
        """builder.Services.AddAuthorization();""",
        """var app = builder.Build();""",
        """app.MapGet("/orders", (HttpContext ctx) => $"hello {ctx.User.Identity!.Name}")""",
        """.RequireNamespace("shop");""",
    ];

    private static readonly string[] ServeSnippet =
    [
        """builder.Services.AddTokenAuthorityEndpoints();""",
        """builder.Services.AddAuthorizationBuilder()""",
        """.AddPolicy("token-admin", p => p.RequireServiceAccount("kube-system", "token-admin"));""",
        """app.MapTokenAuthority().RequireAuthorization("token-admin");""",
    ];

    [Fact]
    public async Task TheSnippetsServeTheirCallersAndNobodyElse()
    {
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseTestServer();

        // --- README "Protect an endpoint" + "Serve the Kubernetes API" ---
        builder.Services.AddTokenAuthority(o => o.Issuer = "https://tokens.example.com").AddBoundObjectResolver<MyResolver>();
        builder.Services.AddAuthentication(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)
            .AddTokenAuthorityBearer(o => o.Audiences.Add("orders"));          // required: the audiences this service accepts
        builder.Services.AddAuthorization();
        builder.Services.AddTokenAuthorityEndpoints();                  // required by MapTokenAuthority()
        builder.Services.AddAuthorizationBuilder()                       // who may mint and review: one service account here
            .AddPolicy("token-admin", p => p.RequireServiceAccount("kube-system", "token-admin"));

        var app = builder.Build();
        app.MapGet("/orders", (HttpContext ctx) => $"hello {ctx.User.Identity!.Name}")
           .RequireNamespace("shop");   // or .RequireServiceAccount("shop", "web"), .RequireBoundObjectKind("Pod")
        app.MapTokenAuthority().RequireAuthorization("token-admin");   // TokenRequest + TokenReview; discovery and JWKS stay anonymous
        // --- end ---

        await using var _ = app;
        await app.StartAsync();
        using var client = app.GetTestClient();
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        var web = (await issuer.IssueAsync("shop", "web", new TokenRequestSpec { Audiences = ["orders"] })).Token;
        var admin = (await issuer.IssueAsync("kube-system", "token-admin", new TokenRequestSpec { Audiences = ["orders"] })).Token;

        async Task<HttpStatusCode> MintAsync(string? bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/shop/serviceaccounts/web/token") { Content = JsonContent.Create(new { spec = new { audiences = new[] { "orders" } } }) };
            if (bearer is not null)
            {
                request.Headers.Authorization = new("Bearer", bearer);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        using var orders = new HttpRequestMessage(HttpMethod.Get, "/orders") { Headers = { Authorization = new("Bearer", web) } };
        using var ordersResponse = await client.SendAsync(orders);
        Assert.Equal("hello system:serviceaccount:shop:web", await ordersResponse.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, await MintAsync(null));
        Assert.Equal(HttpStatusCode.Forbidden, await MintAsync(web));
        Assert.Equal(HttpStatusCode.Created, await MintAsync(admin));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openid/v1/jwks")).StatusCode);
    }

    [Fact]
    public void TheReadmeShowsTheSnippetsAsTheTestRunsThem()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        foreach (var line in ProtectSnippet.Concat(ServeSnippet))
        {
            Assert.Contains(line, readme, StringComparison.Ordinal);
        }
    }
}
