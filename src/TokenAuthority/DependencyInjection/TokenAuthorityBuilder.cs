using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.DependencyInjection;

/// <summary>Configures a token authority registered with <c>AddTokenAuthority</c>.</summary>
public sealed class TokenAuthorityBuilder
{
    internal TokenAuthorityBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <typeparamref name="TResolver"/> (a singleton) to look objects up.</summary>
    public TokenAuthorityBuilder AddBoundObjectResolver<TResolver>()
        where TResolver : class, IBoundObjectResolver
    {
        Services.Replace(ServiceDescriptor.Singleton<IBoundObjectResolver, TResolver>());
        return this;
    }

    /// <summary>Uses the given resolver instance to look objects up.</summary>
    public TokenAuthorityBuilder AddBoundObjectResolver(IBoundObjectResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        Services.Replace(ServiceDescriptor.Singleton(resolver));
        return this;
    }

    /// <summary>
    /// Uses an <see cref="InMemoryBoundObjectResolver"/> (also registered as itself, to add and remove
    /// objects), seeded by <paramref name="seed"/>. For tests and quick starts.
    /// </summary>
    public TokenAuthorityBuilder AddInMemoryBoundObjects(Action<InMemoryBoundObjectResolver>? seed = null)
    {
        var store = new InMemoryBoundObjectResolver();
        seed?.Invoke(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        Services.Replace(ServiceDescriptor.Singleton<IBoundObjectResolver>(store));
        return this;
    }

    /// <summary>Lets tokens be bound to objects of another kind, resolved by the same resolver.</summary>
    public TokenAuthorityBuilder AddBoundObjectKind(BoundObjectKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        Services.Configure<TokenAuthorityOptions>(o => o.BoundObjectKinds.Add(kind));
        return this;
    }

    /// <summary>
    /// Uses <typeparamref name="TProvider"/> (a singleton) to supply keys, e.g. from a vault or with rotation. Its key
    /// set is read at start-up, and the container disposes it (when it is <see cref="IDisposable"/>) with the
    /// service provider: dispose the keys it created there.
    /// </summary>
    public TokenAuthorityBuilder AddKeySetProvider<TProvider>()
        where TProvider : class, ITokenKeySetProvider
    {
        Services.Replace(ServiceDescriptor.Singleton<ITokenKeySetProvider, TProvider>());
        return this;
    }

    /// <summary>
    /// Keeps the keys in a key ring in <paramref name="directory"/> (created owner-only when missing): keys are generated,
    /// published before they sign, rotated every <see cref="KeyRingOptions.RotationInterval"/> and deleted when no token
    /// they signed can still be valid. Several instances may share the directory. The same as setting
    /// <c>TokenAuthority:Keys:Directory</c>.
    /// </summary>
    public TokenAuthorityBuilder AddManagedKeyDirectory(string directory, Action<KeyRingOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Services.Configure<KeyRingOptions>(o =>
        {
            o.Directory = directory;
            configure?.Invoke(o);
        });
        return this;
    }

    /// <summary>
    /// Keeps the keys in a key ring in <typeparamref name="TStore"/> (a singleton), e.g. a database shared by every
    /// instance; the timeline comes from <see cref="KeyRingOptions"/>.
    /// </summary>
    public TokenAuthorityBuilder AddKeyRingStore<TStore>(Action<KeyRingOptions>? configure = null)
        where TStore : class, IKeyRingStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IKeyRingStore, TStore>());
        if (configure is not null)
        {
            Services.Configure(configure);
        }

        return this;
    }
}
