using TokenAuthority.Samples.BuildServer.Artifacts;
using TokenAuthority.Samples.BuildServer.Bootstrap;
using TokenAuthority.Samples.BuildServer.Hosting;
using TokenAuthority.Samples.BuildServer.Jobs;
using TokenAuthority.Samples.BuildServer.Security;
using TokenAuthority.Samples.BuildServer.Storage;
using TokenAuthority.Server;
using TokenAuthority.Samples.Shared;

var builder = WebApplication.CreateBuilder(args);

// Data directory, TLS certificate and admin token: created on first start, reused afterwards.
ServingAddress address;
DataDirectory dataDirectory;
BootstrapResult bootstrap;
try
{
    address = ServingAddress.Resolve(builder.Configuration, "https://127.0.0.1:5090");
    dataDirectory = DataDirectory.Resolve(builder.Configuration[DataDirectory.ConfigurationKey], builder.Environment.ContentRootPath);
    bootstrap = BuildServerBootstrapper.Run(dataDirectory, TimeProvider.System);
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("BuildServer cannot start: " + ex.Message);
    return 1;
}

if (address.IsDefault)
{
    builder.WebHost.UseUrls(address.Urls);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = bootstrap.Certificate);
    kestrel.Limits.MaxRequestBodySize = ArtifactStore.MaxBytes; // nothing here takes a larger body than an artifact
});

builder.Services.AddBuildServerSample(bootstrap, address);

// The token authority, in this process: it signs with the key ring kept in the data directory, and asks JobResolver
// (the build database) whether a job still runs, when a token is issued and on every request that presents one.
var tokenAuthority = builder.Services
    .AddTokenAuthority(o => o.Issuer ??= address.Issuer)
    .AddBoundObjectKind(JobBinding.BoundObjectKind)
    .AddBoundObjectResolver<JobResolver>();

// The keys: a managed key directory under the data directory (rotated on schedule; the sa.key of earlier versions is
// imported as the first signing key, so its tokens keep verifying), unless a signing key or another directory is configured.
if (builder.Configuration["TokenAuthority:SigningKeyFile"] is null && builder.Configuration["TokenAuthority:SigningKeyPem"] is null
    && builder.Configuration["TokenAuthority:Keys:Directory"] is null)
{
    tokenAuthority.AddManagedKeyDirectory(dataDirectory.Keys, o => o.ImportKeyFile ??= dataDirectory.SigningKey);
}
builder.Services.AddTokenAuthorityEndpoints();

// Job tokens are verified in process: signature, issuer, audience "artifacts", lifetime, and that the job still runs.
builder.Services.AddAuthentication()
    .AddTokenAuthorityBearer(o => o.Audiences.Add(JobBinding.ArtifactsAudience));

// Two schemes, so no default one: each policy names the scheme it accepts.
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(BuildServerPolicies.Admin, p => p
        .AddAuthenticationSchemes(AdminTokenAuthenticationDefaults.AuthenticationScheme)
        .RequireRole(AdminTokenAuthenticationDefaults.AdminRole))
    .AddPolicy(BuildServerPolicies.JobToken, p => p
        .AddAuthenticationSchemes(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)
        .RequireBoundObjectKind(JobBinding.Kind))
    .AddPolicy(BuildServerPolicies.OwnJob, p => p
        .AddAuthenticationSchemes(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)
        .RequireBoundObjectKind(JobBinding.Kind)
        .AddRequirements(new JobInPathRequirement()));

var app = builder.Build();
await app.Services.GetRequiredService<BuildDatabase>().InitializeAsync(app.Lifetime.ApplicationStopping);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapJobs().RequireAuthorization(BuildServerPolicies.Admin);   // create and complete jobs: the admin token
app.MapArtifacts();                                               // job tokens: JobToken to read, OwnJob to write

// Discovery and JWKS stay anonymous, so verifiers elsewhere can check job tokens statelessly; minting and reviewing
// tokens through the Kubernetes API is for the admin only (the app would not start without a policy here).
app.MapTokenAuthority().RequireAuthorization(BuildServerPolicies.Admin);
app.MapHealthChecks("/healthz");

if (address.NonLoopbackWarning() is { } nonLoopback)
{
    app.Logger.ListeningBeyondLoopback(nonLoopback);
    await Console.Error.WriteLineAsync("BuildServer warning: " + nonLoopback);
}

await app.RunAsync();
return 0;
