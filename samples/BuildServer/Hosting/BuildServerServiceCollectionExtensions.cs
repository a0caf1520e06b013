using TokenAuthority.Samples.Shared;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TokenAuthority.Samples.BuildServer.Artifacts;
using TokenAuthority.Samples.BuildServer.Bootstrap;
using TokenAuthority.Samples.BuildServer.Jobs;
using TokenAuthority.Samples.BuildServer.Security;
using TokenAuthority.Samples.BuildServer.Storage;

namespace TokenAuthority.Samples.BuildServer.Hosting;

/// <summary>Registers the sample's own services: storage, the admin-token scheme, problem details, health.</summary>
internal static class BuildServerServiceCollectionExtensions
{
    public static IServiceCollection AddBuildServerSample(this IServiceCollection services, BootstrapResult bootstrap, ServingAddress address)
    {
        services.AddSingleton(bootstrap);
        services.AddSingleton(bootstrap.Directory);
        services.AddSingleton(address);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BuildDatabase>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<ArtifactStore>();
        services.AddHostedService<ReadyAnnouncer>();

        services.AddAuthentication()
            .AddScheme<AdminTokenAuthenticationOptions, AdminTokenAuthenticationHandler>(
                AdminTokenAuthenticationDefaults.AuthenticationScheme, o => o.Token = bootstrap.AdminToken);
        services.AddSingleton<IAuthorizationHandler, JobInPathHandler>();

        // Errors of the app's own endpoints (and empty-bodied ones: 401, 403, 404, 405, 413) are RFC 9457 problem
        // details; TokenRequest and TokenReview keep the API server's Status bodies, which kubectl reads.
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        services.AddHealthChecks().AddCheck<BuildDatabaseHealthCheck>("database");
        return services;
    }
}
