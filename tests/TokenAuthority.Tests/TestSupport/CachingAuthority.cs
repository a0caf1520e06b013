using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// An authority with both caches as registered by default, on a fake clock, whose lookups go through a
/// <see cref="HidingResolver"/> (changes nobody signals) and whose key set a test can switch.
/// </summary>
internal sealed class CachingAuthority : IDisposable
{
    public static readonly BoundObjectKey Pod = new(BoundObjectKinds.Pod, "default", "web-0");

    public CachingAuthority(Action<TokenAuthorityBuilder>? configure = null, TokenKey? signingKey = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        SigningKey = signingKey ?? TokenForge.RsaKey();
        Keys = new SwitchableKeySetProvider(new TokenKeySet(SigningKey));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddTokenAuthority(o => o.Issuer = TestAuthority.Issuer).AddInMemoryBoundObjects(store =>
        {
            store.AddServiceAccount("default", "builder", "sa-uid-1");
            store.AddNode("n1", "node-uid-1");
            store.AddPod("default", "web-0", "builder", "n1", "pod-uid-1");
        });
        configure?.Invoke(builder);
        services.Replace(ServiceDescriptor.Singleton<ITokenKeySetProvider>(Keys));
        services.AddSingleton(sp => new HidingResolver(sp.GetRequiredService<InMemoryBoundObjectResolver>()));
        services.Replace(ServiceDescriptor.Singleton<IBoundObjectResolver>(sp => sp.GetRequiredService<HidingResolver>()));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = Services.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;
    }

    public FakeTimeProvider Clock { get; }

    public TokenKey SigningKey { get; }

    public SwitchableKeySetProvider Keys { get; }

    public ServiceProvider Services { get; }

    public InMemoryBoundObjectResolver Store => Services.GetRequiredService<InMemoryBoundObjectResolver>();

    public HidingResolver Resolver => Services.GetRequiredService<HidingResolver>();

    public TokenVerificationCache Cache => Services.GetRequiredService<TokenVerificationCache>();

    public BoundObjectCache ObjectCache => Services.GetRequiredService<BoundObjectCache>();

    public IBoundObjectCacheInvalidator Invalidator => Services.GetRequiredService<IBoundObjectCacheInvalidator>();

    public ITokenVerifier Verifier => new LawCheckingVerifier(Services.GetRequiredService<ITokenVerifier>());

    /// <summary>A one-hour token of default/builder bound to pod web-0.</summary>
    public string IssuePodBound(long lifetime = 3600)
    {
        var result = Services.GetRequiredService<ITokenIssuer>().CreateTokenAsync("default", "builder", new TokenRequest
        {
            Spec = new TokenRequestSpec
            {
                Audiences = ["api"],
                ExpirationSeconds = lifetime,
                BoundObjectRef = new BoundObjectReference { Kind = BoundObjectKinds.Pod, ApiVersion = "v1", Name = "web-0" },
            },
        }).AsTask().GetAwaiter().GetResult();
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Response.Status.Token;
    }

    public TokenVerificationResult Verify(string token) => Verifier.VerifyAsync(token, ["api"]).AsTask().GetAwaiter().GetResult();

    public void Dispose()
    {
        Services.Dispose();
        SigningKey.Dispose();
    }
}
