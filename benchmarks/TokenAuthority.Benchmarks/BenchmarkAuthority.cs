using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Binding;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Benchmarks;

/// <summary>
/// An authority for one algorithm, wired as a host wires it (AddTokenAuthority, in-memory objects, no logging
/// provider), with the raw key objects beside it for the baselines.
/// </summary>
public sealed class BenchmarkAuthority : IDisposable
{
    public const string Issuer = "https://issuer.example.com";

    public BenchmarkAuthority(string algorithm, Action<TokenAuthorityBuilder>? configure = null, BenchmarkAuthority? keyFrom = null)
    {
        if (algorithm == "ES256")
        {
            Ecdsa = keyFrom?.Ecdsa is { } shared ? ECDsa.Create(shared.ExportParameters(true)) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            EcdsaPublic = ECDsa.Create();
            EcdsaPublic.ImportSubjectPublicKeyInfo(Ecdsa.ExportSubjectPublicKeyInfo(), out _);
        }
        else
        {
            Rsa = keyFrom?.Rsa is { } shared ? RSA.Create(shared.ExportParameters(true)) : RSA.Create(2048);
            RsaPublic = RSA.Create();
            RsaPublic.ImportSubjectPublicKeyInfo(Rsa.ExportSubjectPublicKeyInfo(), out _);
        }

        // The key object used for the raw baselines is a separate instance: TokenKey owns (and disposes) its own.
        var keyObject = algorithm == "ES256" ? (AsymmetricAlgorithm)ECDsa.Create(Ecdsa!.ExportParameters(true)) : RSA.Create(Rsa!.ExportParameters(true));
        var key = keyObject is RSA r ? TokenKey.FromRsa(r) : TokenKey.FromECDsa((ECDsa)keyObject);
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders());
        var builder = services.AddTokenAuthority(o =>
        {
            o.Issuer = Issuer;
            o.SigningKey = key;
        }).AddInMemoryBoundObjects(store =>
        {
            store.AddServiceAccount("default", "builder", "sa-uid-1");
            store.AddPod("default", "web-0", "builder", "node-1", "pod-uid-1");
        });
        configure?.Invoke(builder);
        Services = services.BuildServiceProvider();
        Issuer_ = Services.GetRequiredService<ITokenIssuer>();
        Verifier = Services.GetRequiredService<ITokenVerifier>();
        Store = Services.GetRequiredService<InMemoryBoundObjectResolver>();
        Key = key;
    }

    /// <summary>Turns the verification cache off: every verification does the work a never-seen token needs.</summary>
    public static void WithoutVerificationCache(TokenAuthorityBuilder builder) => builder.ConfigureVerificationCache(o => o.Enabled = false);

    /// <summary>Turns the resolver cache off: every verification asks the resolver.</summary>
    public static void WithoutResolverCache(TokenAuthorityBuilder builder) => builder.ConfigureBoundObjectCache(o => o.Enabled = false);

    public ServiceProvider Services { get; }

    public ITokenIssuer Issuer_ { get; }

    public ITokenVerifier Verifier { get; }

    public InMemoryBoundObjectResolver Store { get; }

    public TokenKey Key { get; }

    public ECDsa? Ecdsa { get; }

    public ECDsa? EcdsaPublic { get; }

    public RSA? Rsa { get; }

    public RSA? RsaPublic { get; }

    /// <summary>A request for a pod-bound token of default/builder (the verifier then looks up two objects).</summary>
    public static TokenRequest PodBoundRequest => new()
    {
        Spec = new TokenRequestSpec
        {
            Audiences = ["api"],
            ExpirationSeconds = 3600,
            BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
        },
    };

    public string IssuePodBound() =>
        Issuer_.CreateTokenAsync("default", "builder", PodBoundRequest).AsTask().GetAwaiter().GetResult().Response!.Status.Token;

    public byte[] RawSign(byte[] data) => Ecdsa is not null
        ? Ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : Rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool RawVerify(byte[] data, byte[] signature) => EcdsaPublic is not null
        ? EcdsaPublic.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : RsaPublic!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose()
    {
        Services.Dispose();
        Ecdsa?.Dispose();
        EcdsaPublic?.Dispose();
        Rsa?.Dispose();
        RsaPublic?.Dispose();
    }
}
