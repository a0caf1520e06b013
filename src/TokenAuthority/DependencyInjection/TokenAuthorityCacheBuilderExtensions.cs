using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Verifying;

namespace TokenAuthority.DependencyInjection;

/// <summary>Configures the verification cache and the resolver cache (both on by default).</summary>
public static class TokenAuthorityCacheBuilderExtensions
{
    /// <summary>Configures the verification cache: per exact token, the signature check and the parsed claims.</summary>
    /// <param name="builder">The authority builder.</param>
    /// <param name="configure">Changes the options, e.g. <c>o =&gt; o.Enabled = false</c>.</param>
    /// <returns>The builder.</returns>
    public static TokenAuthorityBuilder ConfigureVerificationCache(this TokenAuthorityBuilder builder, Action<TokenVerificationCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Configures the resolver cache: found objects for at most <see cref="BoundObjectCacheOptions.TimeToLive"/>, or
    /// until <see cref="IBoundObjectCacheInvalidator"/> is told of a change.
    /// </summary>
    /// <param name="builder">The authority builder.</param>
    /// <param name="configure">Changes the options, e.g. <c>o =&gt; o.TimeToLive = TimeSpan.FromSeconds(2)</c>.</param>
    /// <returns>The builder.</returns>
    public static TokenAuthorityBuilder ConfigureBoundObjectCache(this TokenAuthorityBuilder builder, Action<BoundObjectCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers both caches and the invalidator (called by <c>AddTokenAuthority</c>; safe to call twice).</summary>
    internal static void AddTokenAuthorityCaches(this IServiceCollection services)
    {
        services.AddOptions<TokenVerificationCacheOptions>().Validate(o => o.MaxEntries >= 0 && o.MaxBytes >= 0,
            "TokenVerificationCacheOptions.MaxEntries and MaxBytes must not be negative (0 turns the cache off).").ValidateOnStart();
        services.AddOptions<BoundObjectCacheOptions>().Validate(o => o.MaxEntries >= 0 && o.TimeToLive >= TimeSpan.Zero,
            "BoundObjectCacheOptions.MaxEntries and TimeToLive must not be negative (0 turns the cache off).").ValidateOnStart();
        services.TryAddSingleton<KeyChangeSubscriptions>();
        services.TryAddSingleton(sp =>
        {
            var keys = sp.GetRequiredService<ITokenKeySetProvider>();
            var cache = new TokenVerificationCache(
                sp.GetRequiredService<IOptions<TokenVerificationCacheOptions>>(),
                keys,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ITokenAuthorityCacheObserver>());

            // A key set change (a rotation, a removed key, an edited key file) empties the cache at once: entries whose key
            // left the set would be refused at their next lookup anyway (rule 2), this frees their memory now.
            if (cache.Enabled)
            {
                sp.GetRequiredService<KeyChangeSubscriptions>().Add(ChangeToken.OnChange(keys.GetChangeToken, cache.Clear));
            }

            return cache;
        });
        services.TryAddSingleton(sp => new BoundObjectCache(
            sp.GetRequiredService<BoundObjectLookup>(),
            sp.GetRequiredService<IOptions<BoundObjectCacheOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ITokenAuthorityCacheObserver>(),
            sp.GetService<InMemoryBoundObjectResolver>()));
        services.TryAddSingleton<IBoundObjectCacheInvalidator>(sp => sp.GetRequiredService<BoundObjectCache>());
    }
}
