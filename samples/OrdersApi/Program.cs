using Microsoft.AspNetCore.Authentication.JwtBearer;
using TokenAuthority.Samples.OrdersApi.Configuration;
using TokenAuthority.Samples.OrdersApi.Orders;

var builder = WebApplication.CreateBuilder(args);

// Where the authority is, which CA to trust and which token to present to its TokenReview (see README.md).
var authority = AuthorityConnection.Resolve(
    builder.Configuration.GetSection(AuthorityConnectionOptions.SectionName).Get<AuthorityConnectionOptions>() ?? new(),
    builder.Environment.ContentRootPath);
builder.Services.AddSingleton(authority);

builder.Services.AddAuthentication()
    // GET /orders: stateless. Keys come from the authority's OIDC discovery document and JWKS; no call per request.
    .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
    {
        o.Authority = authority.Issuer;
        o.Audience = authority.Audience;
        o.BackchannelHttpHandler = authority.CreateBackchannelHandler();
        o.MapInboundClaims = false;
    });

builder.Services.AddAuthorizationBuilder()
    .AddPolicy(OrdersEndpoints.StatelessPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser())
    .AddPolicy(OrdersEndpoints.BoundPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapOrders();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
