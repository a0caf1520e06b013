using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenAuthority.Samples.Worker;

// A background service that calls OrdersApi with a service-account token it never handles itself (see README.md).
var builder = Host.CreateApplicationBuilder(args);
var contentRoot = builder.Environment.ContentRootPath;

builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());

// The token source: who this worker is (TokenSource section), tokens from the Authority named by its kubeconfig.
builder.Services.AddTokenAuthorityClient(o => builder.Configuration.GetSection("TokenSource").Bind(o))
    .UseRemoteAuthority(o =>
    {
        builder.Configuration.GetSection("TokenAuthority").Bind(o);
        if (o.KubeconfigFile is { } kubeconfig)
        {
            o.KubeconfigFile = Path.GetFullPath(kubeconfig, contentRoot);
        }
    });

// The client: every request carries a token for OrdersApi's audience; a 401 "invalid_token" gets one retry with a new token.
var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new();
builder.Services.AddHttpClient(OrdersCaller.ClientName, c => c.BaseAddress = worker.OrdersUrl)
    .AddServiceAccountToken(worker.Audience, o => o.ExpirationSeconds = worker.ExpirationSeconds);

builder.Services.AddHostedService<OrdersCaller>();

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("Worker cannot start: " + e.Message);
    return 1;
}
