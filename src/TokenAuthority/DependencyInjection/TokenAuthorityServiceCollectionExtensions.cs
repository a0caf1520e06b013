using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenAuthority;
using TokenAuthority.Binding;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Diagnostics;
using TokenAuthority.Discovery;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Verifying;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a token authority: <see cref="ITokenIssuer"/>, <see cref="ITokenVerifier"/> and discovery.</summary>
public static class TokenAuthorityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the authority with options bound from the <c>TokenAuthority</c> configuration section
    /// (when an <see cref="IConfiguration"/> is registered). Safe to call more than once.
    /// </summary>
    public static TokenAuthorityBuilder AddTokenAuthority(this IServiceCollection services) => services.AddTokenAuthority(_ => { });

    /// <summary>Registers the authority, binding the <c>TokenAuthority</c> section and then applying <paramref name="configure"/>.</summary>
    public static TokenAuthorityBuilder AddTokenAuthority(this IServiceCollection services, Action<TokenAuthorityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        if (!services.Any(d => d.ServiceType == typeof(TokenAuthorityMarker)))
        {
            services.AddSingleton<TokenAuthorityMarker>();
            services.AddOptions<TokenAuthorityOptions>().ValidateOnStart();
            services.AddSingleton<IConfigureOptions<TokenAuthorityOptions>, TokenAuthorityConfigurationBinder>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenAuthorityOptions>, TokenAuthorityOptionsValidator>());
            services.AddOptions<TokenKeySetStartupCheck>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenKeySetStartupCheck>, TokenKeySetStartupValidator>());
            services.AddOptions<KeyRingOptions>().ValidateOnStart();
            services.AddSingleton<IConfigureOptions<KeyRingOptions>, KeyRingConfigurationBinder>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>());
        }

        services.Configure(configure);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TokenAuthorityMetrics(
            sp.GetRequiredService<IMeterFactory>(),
            () => sp.GetRequiredService<ITokenKeySetProvider>().Current,
            () => sp.GetRequiredService<ITokenKeySetProvider>() as IKeyRing,
            sp.GetRequiredService<TimeProvider>()));
        // The caches report their hits and misses to the metrics (tokenauthority.cache.lookups).
        services.TryAddSingleton<ITokenAuthorityCacheObserver>(sp => sp.GetRequiredService<TokenAuthorityMetrics>());
        services.TryAddSingleton<ITokenKeySetProvider>(TokenKeySources.Create);
        services.TryAddSingleton<IKeyRing>(TokenKeySources.Ring);
        services.TryAddSingleton<BoundObjectLookup>();
        services.AddTokenAuthorityCaches();
        services.TryAddSingleton<ITokenIssuer, TokenIssuer>();
        services.TryAddSingleton<ITokenVerifier, TokenVerifier>();
        services.TryAddSingleton<IOpenIdMetadataProvider, OpenIdMetadataProvider>();
        return new TokenAuthorityBuilder(services);
    }

    private sealed class TokenAuthorityMarker;
}
