using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// Every key meets the same bar whoever supplies it (configuration or a custom <see cref="ITokenKeySetProvider"/>):
/// an RSA modulus of 2048 bits or more, a sound public exponent, a NIST curve. No token is signed or verified
/// with anything less.
/// </summary>
public class KeyStrengthTests
{
    private const string TooShort = "the RSA key has 1024 bits; use at least 2048 bits (or an ECDSA P-256 key)";

    /// <summary>A host's own provider, as a vault-backed one would be: whatever keys it hands out.</summary>
    private sealed class CustomKeySetProvider(Func<TokenKeySet> load) : ITokenKeySetProvider
    {
        public TokenKeySet Current => load();
    }

    private static ServiceProvider BuildWithProvider(Func<TokenKeySet> load)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o => o.Issuer = TestAuthority.Issuer)
            .AddInMemoryBoundObjects(store => store.AddServiceAccount("default", "builder", "sa-uid-1"));
        services.AddSingleton<ITokenKeySetProvider>(new CustomKeySetProvider(load));
        return services.BuildServiceProvider();
    }

    public static TheoryData<string, Func<TokenKeySet>> WeakKeySets => new()
    {
        { "a 1024-bit RSA signing key", () => new TokenKeySet(TokenKey.FromRsa(RSA.Create(1024))) },
        { "a 1024-bit RSA verification key", () => new TokenKeySet(TokenKey.GenerateECDsa(), [TokenKey.FromRsa(PublicOnly(RSA.Create(1024)))]) },
    };

    private static RSA PublicOnly(RSA rsa)
    {
        var copy = RSA.Create();
        copy.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        rsa.Dispose();
        return copy;
    }

    [Theory]
    [MemberData(nameof(WeakKeySets))]
    public void ACustomProviderHandingOutA1024BitRsaKeyStopsTheHostAndNoTokenIsSigned(string situation, Func<TokenKeySet> load)
    {
        using var provider = BuildWithProvider(load);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal([$"The token keys could not be loaded: {TooShort}"], error.Failures);

        var issuer = provider.GetRequiredService<ITokenIssuer>();
        Assert.ThrowsAny<Exception>(() => issuer.IssueAsync("default", "builder", new TokenRequestSpec { Audiences = ["api"] }).AsTask().GetAwaiter().GetResult());
        Assert.NotEmpty(situation);
    }

    [Fact]
    public void AnRsaKeyUnder2048BitsCannotBecomeATokenKeyWhateverItsSource()
    {
        using var weak = RSA.Create(1024);

        Assert.Equal(TooShort, Assert.Throws<NotSupportedException>(() => TokenKey.FromRsa(weak)).Message);
        Assert.Equal(TooShort, Assert.Throws<FormatException>(() => TokenKey.ParsePem(weak.ExportPkcs8PrivateKeyPem())).Message);
        Assert.Equal(TooShort, Assert.Throws<FormatException>(() => TokenKey.ParsePem(weak.ExportSubjectPublicKeyInfoPem())).Message);
        Assert.Equal(TooShort, Assert.Throws<FormatException>(() => TokenKey.ParsePem(weak.ExportRSAPublicKeyPem())).Message);
        Assert.StartsWith(TooShort, Assert.Throws<ArgumentOutOfRangeException>(() => TokenKey.GenerateRsa(1024)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnRsaKeyIsMeasuredByItsModulusNotByTheSizeItsObjectReports()
    {
        using var claims2048 = new WrappedRsa(RSA.Create(1024)) { ReportedKeySize = 2048, PrivateExport = PrivateExport.Allowed };

        Assert.Equal(TooShort, Assert.Throws<NotSupportedException>(() => TokenKey.FromRsa(claims2048)).Message);
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 1, 0, 0 })]
    public void AnRsaKeyWithAnEvenOrTrivialPublicExponentIsRefused(byte[] exponent)
    {
        // e = 1 makes every signature forgeable; OpenSSL refuses such keys, but a wrapper can still present one.
        using var rsa = new WrappedRsa(KeyObjects.Rsa()) { ReportedExponent = exponent, PrivateExport = PrivateExport.Allowed };

        Assert.Equal("the RSA public exponent must be odd and at least 3", Assert.Throws<NotSupportedException>(() => TokenKey.FromRsa(rsa)).Message);
    }

    [Fact]
    public void AnEcdsaKeyFromACustomProviderOnAnotherCurveStopsTheHost()
    {
        using var provider = BuildWithProvider(() => new TokenKeySet(TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1))));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["The token keys could not be loaded: unknown private key curve, must be 256, 384, or 521"], error.Failures);
    }

    [Fact]
    public void A2048BitRsaKeyIsAccepted()
    {
        using var key = TokenKey.FromRsa(KeyObjects.Rsa());

        Assert.Equal(2048, key.KeySize);
        Assert.True(key.HasPrivateKey);
    }
}
