using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.DependencyInjection;

/// <summary>Bad configuration fails at start-up with a message that says what to change.</summary>
public class OptionsValidationTests
{
    private const string Issuer = "https://issuer.example.com";

    private static ServiceProvider Build(Action<TokenAuthorityOptions> configure, bool withResolver = true, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (configuration is not null)
        {
            services.AddSingleton(configuration);
        }

        var builder = services.AddTokenAuthority(configure);
        if (withResolver)
        {
            builder.AddInMemoryBoundObjects();
        }

        return services.BuildServiceProvider();
    }

    /// <summary>What the host runs on start (ValidateOnStart): the failures, or none.</summary>
    private static string[] StartupFailures(ServiceProvider provider)
    {
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.ToArray();
        }
    }

    private static void WithRsaKey(TokenAuthorityOptions o) => o.SigningKeyPem = KubernetesTestKeys.RsaPrivateKey;

    // A 1024-bit key cannot become a TokenKey at all (KeyStrengthTests), so its PEM comes from the platform.
    private static System.Security.Cryptography.RSA WeakRsa() => System.Security.Cryptography.RSA.Create(1024);

    public static TheoryData<string, Action<TokenAuthorityOptions>, string> BadOptions => new()
    {
        { "no issuer", o => WithRsaKey(o), "TokenAuthority:Issuer is required: set it to the https URL that identifies this authority, e.g. https://auth.example.com." },
        { "http issuer", o => { WithRsaKey(o); o.Issuer = "http://issuer.example.com"; }, "TokenAuthority:Issuer \"http://issuer.example.com\" must be an absolute https URL (issuer URL must use https scheme)." },
        { "relative issuer", o => { WithRsaKey(o); o.Issuer = "issuer.example.com"; }, "TokenAuthority:Issuer \"issuer.example.com\" must be an absolute https URL (issuer URL must use https scheme)." },
        { "issuer with a query", o => { WithRsaKey(o); o.Issuer = "https://issuer.example.com/?tenant=1"; }, "TokenAuthority:Issuer \"https://issuer.example.com/?tenant=1\" may not include a query." },
        { "issuer with an empty query", o => { WithRsaKey(o); o.Issuer = "https://issuer.example.com/?"; }, "TokenAuthority:Issuer \"https://issuer.example.com/?\" may not include a query." },
        { "issuer with a fragment", o => { WithRsaKey(o); o.Issuer = "https://issuer.example.com/#x"; }, "TokenAuthority:Issuer \"https://issuer.example.com/#x\" may not include a fragment." },
        { "http jwks uri", o => { WithRsaKey(o); o.Issuer = Issuer; o.JwksUri = "http://issuer.example.com/keys"; }, "TokenAuthority:JwksUri \"http://issuer.example.com/keys\" must be an absolute https URL (issuer URL must use https scheme)." },
        { "empty accepted issuer", o => { WithRsaKey(o); o.Issuer = Issuer; o.AcceptedIssuers.Add(" "); }, "TokenAuthority:AcceptedIssuers may not contain an empty issuer." },
        { "max expiration below an hour", o => { WithRsaKey(o); o.Issuer = Issuer; o.MaxExpirationSeconds = 3599; }, "TokenAuthority:MaxExpirationSeconds is 3599: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds (3600 to 4294967296), or 0 for no cap." },
        { "max expiration above 2^32", o => { WithRsaKey(o); o.Issuer = Issuer; o.MaxExpirationSeconds = 4294967297; }, "TokenAuthority:MaxExpirationSeconds is 4294967297: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds (3600 to 4294967296), or 0 for no cap." },
        { "negative max expiration", o => { WithRsaKey(o); o.Issuer = Issuer; o.MaxExpirationSeconds = -1; }, "TokenAuthority:MaxExpirationSeconds is -1: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds (3600 to 4294967296), or 0 for no cap." },
        { "extended expiration too short", o => { WithRsaKey(o); o.Issuer = Issuer; o.MaxExtendedExpirationSeconds = 3600; }, "TokenAuthority:MaxExtendedExpirationSeconds is 3600: it must be between 3607 and 2^32 seconds." },
        { "zero resolver timeout", o => { WithRsaKey(o); o.Issuer = Issuer; o.ResolverTimeout = TimeSpan.Zero; }, "TokenAuthority:ResolverTimeout must be positive, e.g. 00:00:05." },
        { "public key PEM as signing key", o => { o.Issuer = Issuer; o.SigningKeyPem = KubernetesTestKeys.RsaPublicKey; }, "TokenAuthority:SigningKeyPem holds a public key; a private key is needed to sign." },
        { "public key object as signing key", o => { o.Issuer = Issuer; o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.EcdsaPublicKey)[0]; }, "TokenAuthority:SigningKey has no private part; a signing key must be a private key." },
        { "garbage signing key PEM", o => { o.Issuer = Issuer; o.SigningKeyPem = "not a key"; }, "TokenAuthority:SigningKeyPem is not a usable key: no PEM-encoded key was found." },
        { "two key sources", o => { o.Issuer = Issuer; WithRsaKey(o); o.SigningKey = TokenForge.RsaKey(); }, "Set only one of TokenAuthority:SigningKey, SigningKeyPem and SigningKeyFile." },
        { "a 1024-bit RSA signing key PEM", o => { o.Issuer = Issuer; o.SigningKeyPem = WeakRsa().ExportPkcs8PrivateKeyPem(); }, "TokenAuthority:SigningKeyPem is not a usable key: the RSA key has 1024 bits; use at least 2048 bits (or an ECDSA P-256 key)." },
        { "a built-in kind registered again", o => { WithRsaKey(o); o.Issuer = Issuer; o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Pod", Resource = "pods" }); }, "Bound object kind \"Pod\" cannot be registered: give a new kind name (not Pod, Secret, Node, ServiceAccount or one registered already) and its plural resource name." },
        { "a kind registered twice", o => { WithRsaKey(o); o.Issuer = Issuer; o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Job", Resource = "jobs" }); o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Job", Group = "other.io", Resource = "jobs" }); }, "Bound object kind \"Job\" cannot be registered: give a new kind name (not Pod, Secret, Node, ServiceAccount or one registered already) and its plural resource name." },
        { "two kinds sharing a claim name", o => { WithRsaKey(o); o.Issuer = Issuer; o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Job", Resource = "jobs" }); o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Task", Resource = "tasks", ClaimName = "job" }); }, "Bound object kind \"Task\" uses the claim name \"job\", which Kubernetes or another registered kind already uses; set ClaimName." },
        { "a kind claiming a Kubernetes claim name", o => { WithRsaKey(o); o.Issuer = Issuer; o.BoundObjectKinds.Add(new BoundObjectKind { Kind = "Workflow", Resource = "workflows", ClaimName = "warnafter" }); }, "Bound object kind \"Workflow\" uses the claim name \"warnafter\", which Kubernetes or another registered kind already uses; set ClaimName." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsFailAtStartUpWithAClearMessage(string situation, Action<TokenAuthorityOptions> configure, string message)
    {
        using var provider = Build(configure);

        Assert.Equal([message], StartupFailures(provider));
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITokenIssuer>());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(situation);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(3600L)]
    [InlineData(4294967296L)]
    public void MaxExpirationBoundsAreInclusive(long max)
    {
        using var provider = Build(o => { WithRsaKey(o); o.Issuer = Issuer; o.MaxExpirationSeconds = max; });
        Assert.Empty(StartupFailures(provider));
    }

    [Fact]
    public void NoResolverIsAStartUpError()
    {
        using var provider = Build(o => { WithRsaKey(o); o.Issuer = Issuer; }, withResolver: false);

        Assert.Equal(
            ["No IBoundObjectResolver is registered: call AddTokenAuthority(...).AddBoundObjectResolver<T>() with your store, or .AddInMemoryBoundObjects() for tests and quick starts."],
            StartupFailures(provider));
    }

    [Fact]
    public void SeveralProblemsAreReportedTogether()
    {
        using var provider = Build(o => { o.Issuer = "http://x"; o.SigningKeyPem = KubernetesTestKeys.RsaPublicKey; o.MaxExpirationSeconds = 1; });

        Assert.Equal(3, StartupFailures(provider).Length);
    }

    [Fact]
    public void AnUnreadableKeyFileIsNamedWithoutItsContent()
    {
        var missing = Path.Combine(Path.GetTempPath(), "tokenauthority-missing-" + Guid.NewGuid().ToString("N") + ".pem");
        using var broken = new TempPemFile("-----BEGIN RSA PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END RSA PRIVATE KEY-----\n");
        using var publicKey = new TempPemFile(KubernetesTestKeys.RsaPublicKey);

        using var missingProvider = Build(o => { o.Issuer = Issuer; o.SigningKeyFile = missing; });
        using var brokenProvider = Build(o => { o.Issuer = Issuer; o.SigningKeyFile = broken.Path; });
        using var publicProvider = Build(o => { o.Issuer = Issuer; o.SigningKeyFile = publicKey.Path; });
        using var verificationProvider = Build(o => { WithRsaKey(o); o.Issuer = Issuer; o.VerificationKeyFiles.Add(missing); });

        Assert.StartsWith($"TokenAuthority:SigningKeyFile \"{missing}\" cannot be used: ", Assert.Single(StartupFailures(missingProvider)));
        var brokenMessage = Assert.Single(StartupFailures(brokenProvider));
        Assert.StartsWith($"TokenAuthority:SigningKeyFile \"{broken.Path}\" cannot be used: PEM block \"RSA PRIVATE KEY\" could not be read as a key", brokenMessage);
        Assert.DoesNotContain("U0VDUkVU", brokenMessage);
        Assert.Equal([$"TokenAuthority:SigningKeyFile \"{publicKey.Path}\" holds a public key; a private key is needed to sign."], StartupFailures(publicProvider));
        Assert.StartsWith($"TokenAuthority:VerificationKeyFiles \"{missing}\" cannot be used: ", Assert.Single(StartupFailures(verificationProvider)));
    }

    [Fact]
    public void AWeakRsaVerificationKeyFileIsRefusedBecauseItWouldLetTokensBeForged()
    {
        using var weakRsa = WeakRsa();
        using var weak = new TempPemFile(weakRsa.ExportSubjectPublicKeyInfoPem());
        using var strong = new TempPemFile(KubernetesTestKeys.EcdsaPublicKey);

        using var weakProvider = Build(o => { WithRsaKey(o); o.Issuer = Issuer; o.VerificationKeyFiles.Add(strong.Path); o.VerificationKeyFiles.Add(weak.Path); });
        using var strongProvider = Build(o => { WithRsaKey(o); o.Issuer = Issuer; o.VerificationKeyFiles.Add(strong.Path); });

        Assert.Equal([$"TokenAuthority:VerificationKeyFiles \"{weak.Path}\" cannot be used: the RSA key has 1024 bits; use at least 2048 bits (or an ECDSA P-256 key)"], StartupFailures(weakProvider));
        Assert.Empty(StartupFailures(strongProvider));
    }

    [Fact]
    public void AddingTheAuthorityTwiceRegistersItOnce()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o => { WithRsaKey(o); o.Issuer = "https://first.example.com"; });
        services.AddTokenAuthority(o => o.Issuer = Issuer).AddInMemoryBoundObjects();

        Assert.Single(services, d => d.ServiceType == typeof(ITokenIssuer));
        Assert.Single(services, d => d.ServiceType == typeof(ITokenVerifier));
        Assert.Single(services, d => d.ServiceType == typeof(ITokenKeySetProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TokenAuthorityOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IConfigureOptions<TokenAuthorityOptions>) && d.ImplementationType is not null);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.Empty(StartupFailures(provider));
        Assert.Equal(Issuer, provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value.Issuer);
    }

    [Fact]
    public void OptionsBindFromTheTokenAuthoritySection()
    {
        using var verificationKey = new TempPemFile(KubernetesTestKeys.EcdsaPublicKey);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenAuthority:Issuer"] = Issuer,
            ["TokenAuthority:AcceptedIssuers:0"] = "https://old.example.com",
            ["TokenAuthority:ApiAudiences:0"] = "api",
            ["TokenAuthority:ApiAudiences:1"] = "https://kubernetes.default.svc",
            ["TokenAuthority:MaxExpirationSeconds"] = "7200",
            ["TokenAuthority:ExtendExpiration"] = "false",
            ["TokenAuthority:MaxExtendedExpirationSeconds"] = "86400",
            ["TokenAuthority:SigningKeyPem"] = KubernetesTestKeys.RsaPrivateKey,
            ["TokenAuthority:VerificationKeyFiles:0"] = verificationKey.Path,
            ["TokenAuthority:JwksUri"] = "https://cdn.example.com/jwks",
            ["TokenAuthority:ResolverTimeout"] = "00:00:02",
            ["Other:Issuer"] = "https://ignored.example.com",
        }).Build();

        using var provider = Build(_ => { }, configuration: configuration);
        Assert.Empty(StartupFailures(provider));
        var o = provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;

        Assert.Equal(Issuer, o.Issuer);
        Assert.Equal(["https://old.example.com"], o.AcceptedIssuers);
        Assert.Equal(["api", "https://kubernetes.default.svc"], o.ApiAudiences);
        Assert.Equal(7200, o.MaxExpirationSeconds);
        Assert.False(o.ExtendExpiration);
        Assert.Equal(86400, o.MaxExtendedExpirationSeconds);
        Assert.Equal("https://cdn.example.com/jwks", o.JwksUri);
        Assert.Equal(TimeSpan.FromSeconds(2), o.ResolverTimeout);
        var keys = provider.GetRequiredService<ITokenKeySetProvider>().Current;
        Assert.Equal(KubernetesTestKeys.RsaKeyId, keys.SigningKey.KeyId);
        Assert.Equal([KubernetesTestKeys.RsaKeyId, KubernetesTestKeys.EcdsaKeyId], keys.VerificationKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void TheConfigureDelegateOverridesConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenAuthority:Issuer"] = "https://from-config.example.com",
            ["TokenAuthority:SigningKeyPem"] = KubernetesTestKeys.RsaPrivateKey,
        }).Build();

        using var provider = Build(o => o.Issuer = Issuer, configuration: configuration);

        Assert.Equal(Issuer, provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value.Issuer);
    }

    [Fact]
    public void WithoutAKeyAnEphemeralDevelopmentKeyIsGenerated()
    {
        using var provider = Build(o => o.Issuer = Issuer);

        Assert.Empty(StartupFailures(provider));
        var key = provider.GetRequiredService<ITokenKeySetProvider>().Current.SigningKey;
        Assert.True(key.HasPrivateKey);
        Assert.Equal("RS256", key.Algorithm);
    }
}
