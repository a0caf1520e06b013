using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TokenAuthority.Claims;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// Which algorithms a configured key verifies. Stricter than go-jose by design (issue #2: "accept only the
/// algorithm that the selected key fixes"): an RSA key verifies RS256 only, an ECDSA key its curve's ES algorithm.
/// </summary>
public class TokenKeyAlgorithmTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static string RsaSigned(string alg, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(KubernetesTestKeys.RsaPrivateKey);
        var input = TokenForge.Encode($$"""{"alg":"{{alg}}","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""") + "." + TokenForge.Encode(ClaimsSerializer.Serialize(TokenForge.Claims(Now, 3600, "api")));
        return input + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(input), hash, padding));
    }

    [Fact]
    public void AnRsaKeyVerifiesRs256()
    {
        using var authority = new TestAuthority();
        var token = RsaSigned("RS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = authority.Verify(token, "api");

        Assert.True(result.Succeeded, result.Error);
    }

    [Theory]
    [InlineData("RS384", "SHA384", false)]
    [InlineData("RS512", "SHA512", false)]
    [InlineData("PS256", "SHA256", true)]
    [InlineData("PS384", "SHA384", true)]
    [InlineData("PS512", "SHA512", true)]
    public void AnRsaKeyRefusesEveryOtherRsaAlgorithmEvenWhenTheSignatureIsGenuine(string alg, string hash, bool pss)
    {
        using var authority = new TestAuthority();
        var token = RsaSigned(alg, new HashAlgorithmName(hash), pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationFailure.InvalidSignature, result.Failure);
        Assert.Equal("go-jose/go-jose: error in cryptographic primitive", result.Error);
    }

    [Theory]
    [InlineData("RS256", "SHA384", false)]
    [InlineData("PS256", "SHA256", false)]
    [InlineData("RS256", "SHA256", true)]
    [InlineData("RS1", "SHA1", false)]
    [InlineData("rs256", "SHA256", false)]
    [InlineData("ES256", "SHA256", false)]
    public void AMislabelledRsaSignatureFails(string alg, string hash, bool pss)
    {
        using var authority = new TestAuthority();
        var token = RsaSigned(alg, new HashAlgorithmName(hash), pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationFailure.InvalidSignature, result.Failure);
        Assert.Equal("go-jose/go-jose: error in cryptographic primitive", result.Error);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    public void AnEcdsaKeyVerifiesOnlyItsCurvesAlgorithm(string alg)
    {
        using var authority = new TestAuthority(signingKey: TokenForge.EcdsaKey());
        var token = TokenForge.SignRaw(TokenForge.EcdsaKey(), $$"""{"alg":"{{alg}}","kid":"{{KubernetesTestKeys.EcdsaKeyId}}"}""", ClaimsSerializer.Serialize(TokenForge.Claims(Now, 3600, "api")));

        Assert.Equal("go-jose/go-jose: error in cryptographic primitive", authority.Verify(token, "api").Error);
    }
}
