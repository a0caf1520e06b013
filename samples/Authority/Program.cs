using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Health;
using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Authority.KeysApi;
using TokenAuthority.Samples.Authority.ObjectsApi;
using TokenAuthority.Samples.Authority.Security;
using TokenAuthority.Samples.Authority.Storage;
using TokenAuthority.Samples.Shared;

// Before anything else: asking for help neither starts the server nor touches the data directory.
if (AuthorityUsage.IsRequested(args))
{
    Console.Out.WriteLine(AuthorityUsage.Text);
    return 0;
}

var builder = WebApplication.CreateBuilder(args);

// Data directory, signing key, TLS certificate, admin and reviewer tokens and kubeconfig: created on first start, reused afterwards.
ServingAddress address;
DataDirectory dataDirectory;
BootstrapResult bootstrap;
DataDirectoryLock dataDirectoryLock;
bool signingKeyLost;
string keyDirectory;
StorageSettings storage;
try
{
    address = ServingAddress.Resolve(builder.Configuration, "https://127.0.0.1:8443");
    dataDirectory = DataDirectory.Resolve(builder.Configuration[DataDirectory.ConfigurationKey], builder.Environment.ContentRootPath);
    dataDirectory.EnsureExists();
    storage = StorageSettings.Resolve(builder.Configuration, dataDirectory.Root, builder.Environment.ContentRootPath);

    // Before anything in the directory is read or written: one Authority per data directory.
    dataDirectoryLock = DataDirectoryLock.Acquire(dataDirectory, address.Server);

    // A database from an earlier start without its keys: the key about to be generated cannot verify any earlier token.
    // (The key directory is DATA/keys unless TokenAuthority:Keys:Directory names another, e.g. one shared by replicas.)
    keyDirectory = builder.Configuration["TokenAuthority:Keys:Directory"] is { Length: > 0 } configuredKeys
        ? Path.GetFullPath(configuredKeys, builder.Environment.ContentRootPath)
        : dataDirectory.Keys;
    signingKeyLost = builder.Configuration["TokenAuthority:SigningKeyFile"] is null && builder.Configuration["TokenAuthority:SigningKeyPem"] is null
        && !storage.UsePostgreSql
        && !File.Exists(Path.Combine(keyDirectory, "ring.json")) && !File.Exists(dataDirectory.SigningKey) && File.Exists(dataDirectory.Database);
    storage.EnsureDataProtectionDirectory();
    bootstrap = AuthorityBootstrapper.Prepare(dataDirectory, TimeProvider.System);
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("Authority cannot start: " + ex.Message);
    return 1;
}

using var heldUntilExit = dataDirectoryLock;

if (address.IsDefault)
{
    builder.WebHost.UseUrls(address.Urls);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = bootstrap.Certificate);
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
});

// A port in use is reported in one line below; the host's own error log would repeat it with a stack trace.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
builder.Services.AddSingleton(address);
builder.Services.AddAuthoritySample(bootstrap);
builder.Services.AddAuthorityTelemetry(builder.Configuration);
var tokenAuthorityBuilder = builder.Services.AddTokenAuthority(o => o.Issuer ??= address.Issuer);
if (storage.UsePostgreSql)
{
    // Objects, resolver and key ring in PostgreSQL (shared by every Authority on that database); the ring's private keys
    // are encrypted with the Data Protection keys in storage.DataProtectionKeys, which every such Authority must share.
    tokenAuthorityBuilder.AddPostgreSql(storage.ConnectionString!);
    builder.Services.AddDataProtection()
        .SetApplicationName("TokenAuthority.Samples.Authority")
        .PersistKeysToFileSystem(new DirectoryInfo(storage.DataProtectionKeys!));
    builder.Services.AddSingleton<IObjectStore, PostgreSqlObjectStoreAdapter>();
}
else
{
    tokenAuthorityBuilder.AddBoundObjectResolver<SqliteBoundObjectResolver>();
}

// The keys: a managed key directory under the data directory (rotated on schedule, sa.key of earlier versions imported),
// unless PostgreSQL holds the ring, or a signing key file or another key directory is configured.
if (!storage.UsePostgreSql && builder.Configuration["TokenAuthority:SigningKeyFile"] is null && builder.Configuration["TokenAuthority:SigningKeyPem"] is null
    && builder.Configuration["TokenAuthority:Keys:Directory"] is null)
{
    tokenAuthorityBuilder.AddManagedKeyDirectory(dataDirectory.Keys, o => o.ImportKeyFile ??= dataDirectory.SigningKey);
}

// kubectl finds the objects API's resources in /api/v1 discovery next to serviceaccounts/token.
builder.Services.AddTokenAuthorityEndpoints(ObjectsEndpoints.AddToDiscovery);

var app = builder.Build();

// Every failure below stops the process with one line that names the file or setting, and before the kubeconfig is written.
try
{
    try
    {
        await app.Services.GetRequiredService<IObjectStore>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }
    catch (DbException ex) when (storage.UsePostgreSql)
    {
        // The connection string is not repeated: it may hold a password.
        throw new InvalidOperationException(
            $"the PostgreSQL database of --{StorageSettings.ConnectionStringKey} cannot be used ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')}). Start it or fix the connection string.", ex);
    }
    catch (SqliteException ex)
    {
        throw new InvalidOperationException(
            $"\"{dataDirectory.Database}\" cannot be opened as the objects database ({ex.Message.TrimEnd('.')}). Move it away to start with an empty one, or pass another --DataDirectory.", ex);
    }

    app.UseKubernetesErrors();
    app.UseAuthentication();
    app.UseAuthorization();

    // Least privilege, as Kubernetes RBAC grants it: TokenRequest (create serviceaccounts/token) needs the admin token;
    // TokenReview (create tokenreviews) takes the admin or the reviewer token; the objects API takes the admin token for
    // everything and a service-account token for reading pods and service accounts of its own namespace
    // (ServiceAccountAccessRule). Discovery, JWKS and kubectl's discovery documents stay anonymous.
    var tokenAuthority = app.MapTokenAuthority();
    tokenAuthority.TokenRequest.RequireAuthorization(AdminTokenAuthenticationDefaults.Policy);
    tokenAuthority.TokenReview.RequireAuthorization(AdminTokenAuthenticationDefaults.TokenReviewPolicy);
    app.MapObjectsApi().RequireAuthorization(AuthorityAuthenticationDefaults.ObjectsApiPolicy);
    app.MapKeysApi().RequireAuthorization(AdminTokenAuthenticationDefaults.Policy);
    app.MapHealthChecks("/healthz");
    app.MapAuthorityMetrics();
    app.MapKubernetesHealth();
    app.MapOpenApi();

    // Kestrel binds here. The kubeconfig, which names the port, is written only after this succeeded (ReadyAnnouncer).
    try
    {
        await app.StartAsync();
    }
    catch (IOException ex)
    {
        throw new InvalidOperationException($"{ex.Message.TrimEnd('.')}. Stop whatever listens there, or pass another --urls.", ex);
    }
}
catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException)
{
    // OptionsValidationException: the signing key (sa.key or TokenAuthority:SigningKeyFile) and the other settings, each failure naming its file or key.
    await Console.Error.WriteLineAsync("Authority cannot start: " + ex.Message.ReplaceLineEndings(" "));
    return 1;
}

if (address.NonLoopbackWarning() is { } nonLoopback)
{
    app.Logger.ListeningBeyondLoopback(nonLoopback);
    await Console.Error.WriteLineAsync("Authority warning: " + nonLoopback);
}

if (signingKeyLost)
{
    app.Logger.SigningKeyReplaced(keyDirectory, dataDirectory.Database);
    await Console.Error.WriteLineAsync(
        $"Authority warning: the key directory \"{keyDirectory}\" was missing but \"{dataDirectory.Database}\" is from an earlier start: a new key was generated and every earlier token will fail with \"no keys found\". Stop the Authority and restore the old keys directory from a backup to have them verify, or issue new tokens.");
}

await app.WaitForShutdownAsync();
return 0;
