using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Diagnostics;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Keys;

/// <summary>
/// Chooses the key source from what is registered and configured: a registered <see cref="IKeyRingStore"/> or
/// <c>TokenAuthority:Keys:Directory</c> makes a key ring; otherwise the signing key and verification key files of
/// <see cref="TokenAuthorityOptions"/> (watched on disk), or a development key.
/// </summary>
internal static class TokenKeySources
{
    public static ITokenKeySetProvider Create(IServiceProvider services)
    {
        var ring = services.GetRequiredService<IOptions<KeyRingOptions>>().Value;
        var store = services.GetService<IKeyRingStore>()
            ?? (ring.Directory is { } directory ? new DirectoryKeyRingStore(directory, ring.LockTimeout) { Step = KeyRingTestPause.FromEnvironment() } : null);
        if (store is null)
        {
            return ActivatorUtilities.CreateInstance<ConfiguredTokenKeySetProvider>(services);
        }

        return new KeyRingTokenKeySetProvider(
            store,
            ring,
            services.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<KeyRingTokenKeySetProvider>(),
            services.GetService<TokenAuthorityMetrics>());
    }

    public static IKeyRing Ring(IServiceProvider services) =>
        services.GetRequiredService<ITokenKeySetProvider>() as IKeyRing
        ?? throw new InvalidOperationException("No key ring is configured: set TokenAuthority:Keys:Directory, or call AddManagedKeyDirectory(...) on the authority's builder.");
}
