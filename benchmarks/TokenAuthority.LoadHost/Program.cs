using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Server;

// A host for the HTTP load comparison: the same app serves an open endpoint, one behind TokenAuthority's scheme and
// one behind stock JwtBearer with the same key, issuer and audience. Tokens to send come from GET /tokens/{count}.
// Usage: dotnet run -c Release -- --urls http://127.0.0.1:PORT [--alg ES256|RS256]
const string Issuer = "https://issuer.example.com";
var algorithm = args.SkipWhile(a => a != "--alg").Skip(1).FirstOrDefault() ?? "ES256";

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

AsymmetricAlgorithm signing = algorithm == "RS256" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
SecurityKey publicKey;
TokenKey key;
if (signing is RSA rsa)
{
    var pub = RSA.Create();
    pub.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
    publicKey = new RsaSecurityKey(pub);
    key = TokenKey.FromRsa(rsa);
}
else
{
    var ec = (ECDsa)signing;
    var pub = ECDsa.Create();
    pub.ImportSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo(), out _);
    publicKey = new ECDsaSecurityKey(pub);
    key = TokenKey.FromECDsa(ec);
}

builder.Services.AddTokenAuthority(o =>
{
    o.Issuer = Issuer;
    o.SigningKey = key;
}).AddInMemoryBoundObjects(store =>
{
    store.AddServiceAccount("default", "builder", "sa-uid-1");
    store.AddNode("node-1", "node-uid-1");
    store.AddPod("default", "web-0", "builder", "node-1", "pod-uid-1");
});
builder.Services.AddAuthentication()
    .AddTokenAuthorityBearer(o => o.Audiences.Add("api"))
    .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = "api",
            IssuerSigningKey = publicKey,
            ClockSkew = TimeSpan.FromSeconds(60),
        };
    });
builder.Services.AddAuthorization(o =>
{
    o.AddPolicy("ours", p => p.AddAuthenticationSchemes(TokenAuthorityAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    o.AddPolicy("jwt", p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/open", () => "ok");
app.MapGet("/ours", () => "ok").RequireAuthorization("ours");
app.MapGet("/jwt", () => "ok").RequireAuthorization("jwt");

// Pod-bound one-hour tokens, one a line (the load script fetches them before it measures).
app.MapGet("/tokens/{count:int}", async (int count, ITokenIssuer issuer, CancellationToken ct) =>
{
    var text = new StringBuilder();
    for (var i = 0; i < count; i++)
    {
        var result = await issuer.CreateTokenAsync("default", "builder", new TokenRequest
        {
            Spec = new TokenRequestSpec
            {
                Audiences = ["api"],
                ExpirationSeconds = 3600,
                BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
            },
        }, ct);
        text.Append(result.Response!.Status.Token).Append('\n');
    }

    return Results.Text(text.ToString());
});

app.Run();
