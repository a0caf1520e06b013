using TokenAuthority.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the caller side: the service-account token source.</summary>
public static class TokenAuthorityClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IServiceAccountTokenSource"/> (safe to call twice); choose where tokens come from on the returned
    /// builder with <c>UseRemoteAuthority</c> or <c>UseRequester</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the caller's identity and the refresh timings.</param>
    /// <returns>The builder.</returns>
    public static TokenAuthorityClientBuilder AddTokenAuthorityClient(this IServiceCollection services, Action<ServiceAccountTokenSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ServiceAccountTokenSourceOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceAccountTokenSourceOptions>, ServiceAccountTokenSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // Replaced by UseRemoteAuthority or UseRequester; until then, resolving the source says what is missing.
        services.TryAddSingleton<ITokenRequester>(_ => throw new InvalidOperationException(
            "The token source has no requester: call AddTokenAuthorityClient(...).UseRemoteAuthority(...) for a remote authority, or .UseRequester(...) for the in-process issuer."));
        services.TryAddSingleton<ServiceAccountTokenSource>();
        services.TryAddSingleton<IServiceAccountTokenSource>(sp => sp.GetRequiredService<ServiceAccountTokenSource>());
        return new TokenAuthorityClientBuilder(services);
    }
}
