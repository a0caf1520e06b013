using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Server.Http;
using TokenAuthority.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the HTTP API mapped by <c>MapTokenAuthority()</c> needs.</summary>
public static class TokenAuthorityEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapTokenAuthority()</c> requires: the HTTP API's options (bound from the <c>TokenAuthority:Endpoints</c>
    /// configuration section when there is configuration, then <paramref name="configure"/>; validated at start-up); the
    /// per-caller TokenRequest rate limit (<see cref="TokenAuthorityEndpointOptions.TokenRequestRateLimit"/>); the start-up
    /// check that TokenRequest and TokenReview ended up with authorization (or an explicit <c>AllowAnonymous()</c>); and the
    /// authorization result handler that answers callers denied by those endpoints with Kubernetes <c>Status</c> bodies and
    /// marks authorized requests for their request-time guard. The handler wraps the
    /// <see cref="IAuthorizationMiddlewareResultHandler"/> registered before this call (register your own first) and
    /// leaves every other endpoint to it. Safe to call more than once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Optional configuration of the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddTokenAuthorityEndpoints(this IServiceCollection services, Action<TokenAuthorityEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TokenAuthorityEndpointOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TokenAuthorityEndpointOptions>, TokenAuthorityEndpointConfigurationBinder>());
        services.TryAddSingleton<TokenRequestRateLimiter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenAuthorityEndpointOptions>, TokenAuthorityEndpointOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, TokenAuthorityEndpointStartupFilter>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(TokenAuthorityAuthorizationResultHandler)))
        {
            return services;
        }

        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        services.AddSingleton(sp => new TokenAuthorityAuthorizationResultHandler(
            CreateInner(sp, existing),
            sp.GetRequiredService<ILogger<TokenAuthorityAuthorizationResultHandler>>()));
        services.RemoveAll<IAuthorizationMiddlewareResultHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp => sp.GetRequiredService<TokenAuthorityAuthorizationResultHandler>());
        return services;
    }

    private static IAuthorizationMiddlewareResultHandler CreateInner(IServiceProvider services, ServiceDescriptor? existing) => existing switch
    {
        null => new AuthorizationMiddlewareResultHandler(),
        { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
        { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(services),
        { ImplementationType: { } type } => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(services, type),
        _ => new AuthorizationMiddlewareResultHandler(),
    };
}
