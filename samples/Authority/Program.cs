using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Authority.ObjectsApi;
using TokenAuthority.Samples.Authority.Security;
using TokenAuthority.Samples.Authority.Storage;

var builder = WebApplication.CreateBuilder(args);

// Data directory, signing key, TLS certificate, admin token and kubeconfig: created on first start, reused afterwards.
ServingAddress address;
DataDirectory dataDirectory;
BootstrapResult bootstrap;
try
{
    address = ServingAddress.Resolve(builder.Configuration);
    dataDirectory = DataDirectory.Resolve(builder.Configuration[DataDirectory.ConfigurationKey], builder.Environment.ContentRootPath);
    bootstrap = AuthorityBootstrapper.Run(dataDirectory, address.Server, TimeProvider.System);
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("Authority cannot start: " + ex.Message);
    return 1;
}

if (address.IsDefault)
{
    builder.WebHost.UseUrls(address.Urls);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = bootstrap.Certificate);
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
});

builder.Services.AddAuthoritySample(bootstrap);
builder.Services
    .AddTokenAuthority(o =>
    {
        o.Issuer ??= address.Issuer;
        if (o.SigningKeyPem is null && o.SigningKey is null)
        {
            o.SigningKeyFile ??= dataDirectory.SigningKey;
        }
    })
    .AddBoundObjectResolver<SqliteBoundObjectResolver>();
builder.Services.AddTokenAuthorityEndpoints();

var app = builder.Build();
await app.Services.GetRequiredService<ObjectStore>().InitializeAsync(app.Lifetime.ApplicationStopping);

app.UseKubernetesErrors();
app.UseAuthentication();
app.UseAuthorization();

// TokenRequest and TokenReview need the admin token; discovery, JWKS and kubectl's discovery documents stay anonymous.
app.MapTokenAuthority().RequireAuthorization(AdminTokenAuthenticationDefaults.Policy);
app.MapObjectsApi().RequireAuthorization(AdminTokenAuthenticationDefaults.Policy);
app.MapHealthChecks("/healthz");
app.MapOpenApi();

await app.RunAsync();
return 0;
