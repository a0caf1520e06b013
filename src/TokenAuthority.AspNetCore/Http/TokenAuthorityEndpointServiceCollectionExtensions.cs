using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.AspNetCore.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the HTTP API mapped by <c>MapTokenAuthority()</c> needs.</summary>
public static class TokenAuthorityEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP API's options (validated at start-up) and the authorization result handler that answers
    /// callers denied by the TokenRequest and TokenReview endpoints with Kubernetes <c>Status</c> bodies (it wraps the
    /// registered <see cref="IAuthorizationMiddlewareResultHandler"/> and leaves every other endpoint to it).
    /// Safe to call more than once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Optional configuration of the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddTokenAuthorityEndpoints(this IServiceCollection services, Action<TokenAuthorityEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TokenAuthorityEndpointOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenAuthorityEndpointOptions>, TokenAuthorityEndpointOptionsValidator>());
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
