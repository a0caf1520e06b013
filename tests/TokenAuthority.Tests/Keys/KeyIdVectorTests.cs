using System.Security.Cryptography;
using TokenAuthority.Discovery;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

public class KeyIdVectorTests
{
    [Theory]
    [InlineData(KubernetesTestKeys.RsaPublicKey, KubernetesTestKeys.RsaKeyId, "RS256")]
    [InlineData(KubernetesTestKeys.RsaPrivateKey, KubernetesTestKeys.RsaKeyId, "RS256")]
    [InlineData(KubernetesTestKeys.EcdsaPublicKey, KubernetesTestKeys.EcdsaKeyId, "ES256")]
    [InlineData(KubernetesTestKeys.EcdsaPrivateKey, KubernetesTestKeys.EcdsaKeyId, "ES256")]
    public void KeyIdMatchesKubernetes(string pem, string kid, string alg)
    {
        var key = Assert.Single(TokenKey.ParsePem(pem));
        Assert.Equal(kid, key.KeyId);
        Assert.Equal(alg, key.Algorithm);
    }

    [Theory]
    [InlineData(KubernetesTestKeys.RsaPrivateKey, KubernetesTestKeys.RsaKeyId, "RS256")]
    [InlineData(KubernetesTestKeys.EcdsaPrivateKey, KubernetesTestKeys.EcdsaKeyId, "ES256")]
    public void Pkcs8AndSpkiFormsOfTheSameKeyHaveTheSameId(string pem, string kid, string alg)
    {
        var original = Assert.Single(TokenKey.ParsePem(pem));
        var pkcs8 = original.ExportPrivateKeyPem();
        var spki = original.ExportPublicKeyPem();

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pkcs8);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", spki);
        var fromPkcs8 = Assert.Single(TokenKey.ParsePem(pkcs8));
        var fromSpki = Assert.Single(TokenKey.ParsePem(spki));
        Assert.True(fromPkcs8.HasPrivateKey);
        Assert.False(fromSpki.HasPrivateKey);
        Assert.All(new[] { fromPkcs8, fromSpki }, k => Assert.Equal((kid, alg), (k.KeyId, k.Algorithm)));
    }

    [Fact]
    public void Pkcs1PublicKeyFormHasTheSameId()
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(KubernetesTestKeys.RsaPublicKey);
        var key = Assert.Single(TokenKey.ParsePem(rsa.ExportRSAPublicKeyPem()));
        Assert.Equal(KubernetesTestKeys.RsaKeyId, key.KeyId);
    }

    [Fact]
    public void SeveralKeysInOnePemAreReadInOrder()
    {
        var keys = TokenKey.ParsePem(KubernetesTestKeys.RsaPublicKey + "\n" + KubernetesTestKeys.EcdsaPrivateKey + "\n" + KubernetesTestKeys.OtherPublicKey);
        Assert.Equal(3, keys.Count);
        Assert.Equal(KubernetesTestKeys.RsaKeyId, keys[0].KeyId);
        Assert.Equal(KubernetesTestKeys.EcdsaKeyId, keys[1].KeyId);
        Assert.NotEqual(KubernetesTestKeys.RsaKeyId, keys[2].KeyId);
    }

    [Fact]
    public void APublicKeyCannotExportAPrivateKey() =>
        Assert.Throws<InvalidOperationException>(() => TokenKey.ParsePem(KubernetesTestKeys.RsaPublicKey)[0].ExportPrivateKeyPem());

    [Theory]
    [InlineData("", "no PEM-encoded key was found")]
    [InlineData("not a key", "no PEM-encoded key was found")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "PEM block \"CERTIFICATE\" is not a supported key (want RSA PRIVATE KEY, EC PRIVATE KEY, PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY)")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", "PEM block \"RSA PRIVATE KEY\" could not be read as a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "the public key is neither RSA nor ECDSA")]
    public void UnusablePemIsAFormatError(string pem, string message)
    {
        var error = Assert.Throws<FormatException>(() => TokenKey.ParsePem(pem));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void AnEcdsaKeyOnACurveOtherThanTheNistOnesIsRefusedEvenAt256Bits()
    {
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var direct = Assert.Throws<NotSupportedException>(() => TokenKey.FromECDsa(brainpool));
        var fromPem = Assert.Throws<FormatException>(() => TokenKey.ParsePem(brainpool.ExportECPrivateKeyPem()));

        Assert.Equal("unknown private key curve, must be 256, 384, or 521", direct.Message);
        Assert.Equal("unknown private key curve, must be 256, 384, or 521", fromPem.Message);
    }

    [Fact]
    public void DiscoveryDocumentsAreByteForByteKubernetes()
    {
        var keys = new[] { TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0], TokenKey.ParsePem(KubernetesTestKeys.EcdsaPublicKey)[0] };
        var md = OpenIdMetadataBuilder.Build("https://issuer.example.com", "https://issuer.example.com/openid/v1/jwks", keys);
        Assert.Equal(KubernetesTestKeys.ExpectedConfiguration, md.ConfigurationJson);
        Assert.Equal(KubernetesTestKeys.ExpectedKeySet, md.KeySetJson);
    }
}
