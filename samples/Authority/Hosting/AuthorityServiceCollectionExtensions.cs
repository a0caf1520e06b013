using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Security;
using TokenAuthority.Samples.Authority.Storage;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Registers the sample's own services: storage, admin authentication, health, OpenAPI.</summary>
internal static class AuthorityServiceCollectionExtensions
{
    public static IServiceCollection AddAuthoritySample(this IServiceCollection services, BootstrapResult bootstrap)
    {
        services.AddSingleton(bootstrap);
        services.AddSingleton(bootstrap.Directory);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ObjectStore>();
        services.AddHostedService<ReadyAnnouncer>();

        services.AddAuthentication(AdminTokenAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AdminTokenAuthenticationOptions, AdminTokenAuthenticationHandler>(
                AdminTokenAuthenticationDefaults.AuthenticationScheme, o =>
                {
                    o.Token = bootstrap.AdminToken;
                    o.ReviewerToken = bootstrap.ReviewerToken;
                });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminTokenAuthenticationDefaults.Policy, p => p
                .AddAuthenticationSchemes(AdminTokenAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(AdminTokenAuthenticationDefaults.AdminRole))
            .AddPolicy(AdminTokenAuthenticationDefaults.TokenReviewPolicy, p => p
                .AddAuthenticationSchemes(AdminTokenAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(AdminTokenAuthenticationDefaults.AdminRole, AdminTokenAuthenticationDefaults.ReviewerRole));

        services.AddHealthChecks().AddCheck<ObjectStoreHealthCheck>("objects");
        services.AddOpenApi(o => o.AddDocumentTransformer<AuthorityOpenApiDocumentTransformer>());
        return services;
    }
}
