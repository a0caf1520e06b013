using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using TokenAuthority.Validation;
using TokenAuthority.Samples.OrdersApi.Configuration;
using TokenAuthority.Samples.OrdersApi.Hosting;
using TokenAuthority.Samples.OrdersApi.Orders;

var builder = WebApplication.CreateBuilder(args);

// Where the authority is, which CA to trust and which token to present to its TokenReview (see README.md).
AuthorityConnection authority;
try
{
    authority = AuthorityConnection.Resolve(
        builder.Configuration.GetSection(AuthorityConnectionOptions.SectionName).Get<AuthorityConnectionOptions>() ?? new(),
        builder.Environment.ContentRootPath);
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync("OrdersApi cannot start: " + ex.Message);
    return 1;
}

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

builder.Services.AddAuthentication()
    // GET /orders: stateless. Keys come from the authority's OIDC discovery document and JWKS (fetched once, cached);
    // no call to the authority per request, so a deleted pod's token is accepted until it expires.
    .AddTokenAuthorityJwtBearer(JwtBearerDefaults.AuthenticationScheme, authority.Issuer, [authority.Audience],
        o => o.BackchannelHttpHandler = authority.CertificateAuthority.CreateHandler())
    // GET /orders/bound: the authority's TokenReview, which also checks that the bound pod still exists.
    .AddTokenReview(o =>
    {
        o.Authority = authority.Issuer;
        o.Audiences.Add(authority.Audience);
        o.ReviewerToken = authority.ReviewerToken;
        o.CertificateAuthorityFile = authority.CaFile;
        o.CacheDuration = authority.TokenReviewCacheDuration;
    });

builder.Services.AddAuthorizationBuilder()
    .AddPolicy(OrdersEndpoints.StatelessPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser())
    .AddPolicy(OrdersEndpoints.BoundPolicy, p => p.AddAuthenticationSchemes(TokenReviewAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());

var app = builder.Build();
app.Logger.Configured(authority.Audience, authority.Issuer, authority.CaFile, authority.TokenReviewCacheDuration);
app.UseAuthentication();
app.UseAuthorization();
app.MapOrders();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
return 0;
