using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Discovery;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>An authority wired through the real DI registration, on a fake clock and an in-memory store.</summary>
public sealed class TestAuthority : IDisposable
{
    public const string Issuer = "https://issuer.example.com";

    public TestAuthority(
        Action<TokenAuthorityOptions>? configure = null,
        TokenKey? signingKey = null,
        DateTimeOffset? start = null,
        Func<InMemoryBoundObjectResolver, IBoundObjectResolver>? resolver = null)
    {
        Clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddTokenAuthority(o =>
        {
            o.Issuer = Issuer;
            o.SigningKey = signingKey ?? TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
            configure?.Invoke(o);
        }).AddInMemoryBoundObjects();
        if (resolver is not null)
        {
            // The store stays registered as itself; lookups go through the wrapper.
            services.AddSingleton<IBoundObjectResolver>(sp => resolver(sp.GetRequiredService<InMemoryBoundObjectResolver>()));
        }

        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = Services.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;
        ServiceAccount = Store.AddServiceAccount("default", "builder", "sa-uid-1");
    }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public BoundObject ServiceAccount { get; }

    public InMemoryBoundObjectResolver Store => Services.GetRequiredService<InMemoryBoundObjectResolver>();

    public ITokenIssuer TokenIssuer => Services.GetRequiredService<ITokenIssuer>();

    /// <summary>The real verifier, every answer checked by <see cref="LawCheckingVerifier"/>.</summary>
    public ITokenVerifier Verifier => new LawCheckingVerifier(Services.GetRequiredService<ITokenVerifier>());

    public IOpenIdMetadataProvider Metadata => Services.GetRequiredService<IOpenIdMetadataProvider>();

    /// <summary>Runs a TokenRequest for <paramref name="namespaceName"/>/<paramref name="name"/> (default/builder).</summary>
    public TokenRequestResult Create(TokenRequest request, string namespaceName = "default", string name = "builder") =>
        TokenIssuer.CreateTokenAsync(namespaceName, name, request).AsTask().GetAwaiter().GetResult();

    /// <summary>Runs a TokenRequest with only a spec for default/builder.</summary>
    public TokenRequestResult Create(TokenRequestSpec spec) => Create(new TokenRequest { Spec = spec });

    /// <summary>Verifies a token synchronously.</summary>
    public TokenVerificationResult Verify(string token, params string[] audiences) =>
        Verifier.VerifyAsync(token, audiences.Length == 0 ? null : audiences).AsTask().GetAwaiter().GetResult();

    public void Dispose() => Services.Dispose();
}
