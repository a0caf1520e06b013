using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Health;
using TokenAuthority.Samples.Authority.Security;
using TokenAuthority.Samples.Authority.Storage;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Registers the sample's own services: storage, authentication (admin, reviewer and service-account tokens), authorization, health, OpenAPI.</summary>
internal static class AuthorityServiceCollectionExtensions
{
    public static IServiceCollection AddAuthoritySample(this IServiceCollection services, BootstrapResult bootstrap)
    {
        services.AddSingleton(bootstrap);
        services.AddSingleton(bootstrap.Directory);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ObjectStore>();
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<ObjectStore>());
        services.AddHostedService<ReadyAnnouncer>();

        // Two credentials on one API, as kube-apiserver accepts them: the admin and reviewer tokens (opaque strings) and
        // service-account tokens issued here (JWTs); the default scheme picks the handler by the token's shape.
        services.AddAuthentication(AuthorityAuthenticationDefaults.AuthenticationScheme)
            .AddPolicyScheme(AuthorityAuthenticationDefaults.AuthenticationScheme, displayName: null, o => o.ForwardDefaultSelector = BearerSchemeSelector.Select)
            .AddScheme<AdminTokenAuthenticationOptions, AdminTokenAuthenticationHandler>(
                AdminTokenAuthenticationDefaults.AuthenticationScheme, o =>
                {
                    o.Token = bootstrap.AdminToken;
                    o.ReviewerToken = bootstrap.ReviewerToken;
                })
            .AddTokenAuthorityBearer(AuthorityAuthenticationDefaults.ServiceAccountScheme, o =>
                o.Events.OnForbidden = context => ObjectsApiForbidden.WriteAsync(context.HttpContext));

        // The API audiences (--api-audiences; by default the issuer), which is what TokenRequest gives a token that names
        // no audience (kubectl create token default): tokens meant for other services are refused here, as by kube-apiserver.
        services.AddOptions<TokenAuthorityAuthenticationOptions>(AuthorityAuthenticationDefaults.ServiceAccountScheme)
            .Configure<IOptions<TokenAuthorityOptions>>((o, authority) =>
            {
                foreach (var audience in authority.Value.EffectiveApiAudiences())
                {
                    o.Audiences.Add(audience);
                }
            });

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ObjectsApiAuthorizationHandler>());
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminTokenAuthenticationDefaults.Policy, p => p
                .AddAuthenticationSchemes(AuthorityAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(AdminTokenAuthenticationDefaults.AdminRole))
            .AddPolicy(AdminTokenAuthenticationDefaults.TokenReviewPolicy, p => p
                .AddAuthenticationSchemes(AuthorityAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(AdminTokenAuthenticationDefaults.AdminRole, AdminTokenAuthenticationDefaults.ReviewerRole))
            .AddPolicy(AuthorityAuthenticationDefaults.ObjectsApiPolicy, p => p
                .AddAuthenticationSchemes(AuthorityAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(ObjectsApiRequirement.Instance));

        // kube-apiserver's shape: ping for /livez, storage and keys and shutdown for /readyz (KubernetesHealthEndpoints).
        services.AddHealthChecks()
            .AddCheck("ping", () => HealthCheckResult.Healthy(), [KubernetesHealthEndpoints.LiveTag, KubernetesHealthEndpoints.ReadyTag])
            .AddCheck<ObjectStoreHealthCheck>("objects", tags: [KubernetesHealthEndpoints.ReadyTag])
            .AddTokenAuthorityChecks()
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [KubernetesHealthEndpoints.ReadyTag]);
        services.AddOpenApi(o => o.AddDocumentTransformer<AuthorityOpenApiDocumentTransformer>());
        return services;
    }
}
