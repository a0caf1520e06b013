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

    [Fact]
    public void DiscoveryDocumentsAreByteForByteKubernetes()
    {
        var keys = new[] { TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0], TokenKey.ParsePem(KubernetesTestKeys.EcdsaPublicKey)[0] };
        var md = OpenIdMetadataBuilder.Build("https://issuer.example.com", "https://issuer.example.com/openid/v1/jwks", keys);
        Assert.Equal(KubernetesTestKeys.ExpectedConfiguration, md.ConfigurationJson);
        Assert.Equal(KubernetesTestKeys.ExpectedKeySet, md.KeySetJson);
    }
}
