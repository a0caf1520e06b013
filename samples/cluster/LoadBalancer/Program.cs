using TokenAuthority.Samples.Cluster.LoadBalancer.Balancing;
using TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;

if (LoadBalancerUsage.IsRequested(args))
{
    Console.Out.WriteLine(LoadBalancerUsage.Text);
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
LoadBalancerSettings settings;
try
{
    settings = LoadBalancerSettings.Resolve(builder.Configuration);
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync("LoadBalancer cannot start: " + ex.Message);
    return 1;
}

builder.WebHost.UseUrls(settings.Listen.GetLeftPart(UriPartial.Authority));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = settings.Certificate);
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024; // the replicas' own limit: a larger body could not be retried anyway
});
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<RetryOnAnotherReplica>();
builder.Services.AddReverseProxy()
    .LoadFromMemory([ReplicaProxyConfig.Route], [ReplicaProxyConfig.Cluster(settings)])
    .ConfigureHttpClient((_, handler) =>
        handler.SslOptions.RemoteCertificateValidationCallback = ReplicaCertificatePin.For(settings.Certificate));

var app = builder.Build();
var retry = app.Services.GetRequiredService<RetryOnAnotherReplica>();
app.MapReverseProxy(proxy =>
{
    // Outermost, so a request that failed before any answer runs balancing (on the replicas not yet tried) again.
    proxy.Use(retry.InvokeAsync);
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

try
{
    await app.StartAsync();
}
catch (IOException ex)
{
    await Console.Error.WriteLineAsync($"LoadBalancer cannot start: {ex.Message.TrimEnd('.')}. Stop whatever listens there, or pass another --urls.");
    return 1;
}

var listening = settings.Listen.GetLeftPart(UriPartial.Authority);
var backends = string.Join(", ", settings.Backends.Select(b => b.GetLeftPart(UriPartial.Authority)));
app.Logger.Listening(listening, backends);
await app.WaitForShutdownAsync();
return 0;
