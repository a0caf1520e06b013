using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using TokenAuthority.Discovery;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Discovery;

/// <summary>Spec §5: the discovery document and JWKS an authority publishes.</summary>
public class OpenIdMetadataTests
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    [Fact]
    public void TheAuthorityPublishesKubernetesDocumentsForItsKeys()
    {
        using var ecdsa = new TempPemFile(KubernetesTestKeys.EcdsaPublicKey);
        using var authority = new TestAuthority(o => o.VerificationKeyFiles.Add(ecdsa.Path));
        var metadata = authority.Metadata.Current;

        Assert.Equal(KubernetesTestKeys.ExpectedConfiguration, metadata.ConfigurationJson);
        Assert.Equal(KubernetesTestKeys.ExpectedKeySet, metadata.KeySetJson);
        Assert.Same(metadata, authority.Metadata.Current);
    }

    [Fact]
    public void TheJwksNeverContainsPrivateParts()
    {
        // Private keys everywhere: the signing key and a verification key file holding a private EC key.
        using var ecdsa = new TempPemFile(KubernetesTestKeys.EcdsaPrivateKey);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p384File = new TempPemFile(p384.ExportPkcs8PrivateKeyPem());
        using var authority = new TestAuthority(o => { o.VerificationKeyFiles.Add(ecdsa.Path); o.VerificationKeyFiles.Add(p384File.Path); });
        var jwks = JsonDocument.Parse(authority.Metadata.Current.KeySetJson).RootElement;

        var keys = jwks.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(3, keys.Length);
        Assert.All(keys, k => Assert.Empty(k.EnumerateObject().Select(p => p.Name).Intersect(PrivateMembers)));
        Assert.All(keys, k => Assert.Equal("sig", k.GetProperty("use").GetString()));
        Assert.Equal("keys", Assert.Single(jwks.EnumerateObject()).Name);
    }

    [Theory]
    [InlineData("nistP256", "P-256", "ES256", 32)]
    [InlineData("nistP384", "P-384", "ES384", 48)]
    [InlineData("nistP521", "P-521", "ES512", 66)]
    public void EcEntriesHaveFixedWidthCoordinates(string curve, string crv, string alg, int width)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var key = TokenKey.FromECDsa(ec);
        var entry = JsonDocument.Parse(OpenIdMetadataBuilder.Jwk(key)).RootElement;

        Assert.Equal(["use", "kty", "kid", "crv", "alg", "x", "y"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal((crv, alg, key.KeyId), (entry.GetProperty("crv").GetString(), entry.GetProperty("alg").GetString(), entry.GetProperty("kid").GetString()));
        Assert.Equal(width, Base64Url.DecodeFromChars(entry.GetProperty("x").GetString()).Length);
        Assert.Equal(width, Base64Url.DecodeFromChars(entry.GetProperty("y").GetString()).Length);
    }

    [Fact]
    public void AlgorithmsAreSortedAndDistinctAndDuplicateKeysStay()
    {
        var rsa = TokenForge.RsaKey();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var keys = new[] { rsa, TokenKey.FromECDsa(p384), TokenForge.EcdsaKey(), rsa };
        var md = OpenIdMetadataBuilder.Build("https://a.example.com/tenant", "https://keys.example.com/jwks", keys);

        Assert.Equal(
            """{"issuer":"https://a.example.com/tenant","jwks_uri":"https://keys.example.com/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["ES256","ES384","RS256"]}""",
            md.ConfigurationJson);
        Assert.Equal(4, JsonDocument.Parse(md.KeySetJson).RootElement.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public void ConfiguredJwksUriIsPublished()
    {
        using var authority = new TestAuthority(o => o.JwksUri = "https://cdn.example.com/keys.json");
        Assert.Contains("\"jwks_uri\":\"https://cdn.example.com/keys.json\"", authority.Metadata.Current.ConfigurationJson);
    }

    [Fact]
    public void NoKeysIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenIdMetadataBuilder.Build("https://a.example.com", "https://a.example.com/openid/v1/jwks", []));
        Assert.StartsWith("no keys provided for validating keyset", error.Message);
    }
}
