using System.Security.Cryptography;
using System.Text.Json;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// Whether a key can sign is learnt by signing, never by exporting its private part: an export leaves a copy of
/// the secret in memory, and a key held in an HSM or a platform store cannot be exported at all.
/// </summary>
public class PrivateKeyDetectionTests
{
    public static TheoryData<string> Kinds => new() { "RSA", "ECDSA" };

    private static TokenKey NonExportable(string kind) => kind == "RSA"
        ? TokenKey.FromRsa(new WrappedRsa(KeyObjects.Rsa()))
        : TokenKey.FromECDsa(new WrappedECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP384)));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ANonExportableKeySignsTokensThatVerify(string kind)
    {
        using var key = NonExportable(kind);
        Assert.True(key.HasPrivateKey);
        using var authority = new TestAuthority(signingKey: key);

        var status = await authority.TokenIssuer.IssueAsync("default", "builder", new TokenRequestSpec { Audiences = ["api"] });
        var result = await authority.Verifier.VerifyAsync(status.Token, ["api"]);

        Assert.True(result.Succeeded, result.Error);
        using var header = JsonDocument.Parse(TokenForge.DecodePart(status.Token, 0));
        Assert.Equal(key.Algorithm, header.RootElement.GetProperty("alg").GetString());
    }

    [Fact]
    public void TellingThatAKeyCanSignNeverExportsItsPrivatePart()
    {
        using var rsa = new WrappedRsa(KeyObjects.Rsa()) { PrivateExport = PrivateExport.Allowed };
        using var ec = new WrappedECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { PrivateExport = PrivateExport.Allowed };

        var rsaKey = TokenKey.FromRsa(rsa);
        var ecKey = TokenKey.FromECDsa(ec);

        Assert.True(rsaKey.HasPrivateKey);
        Assert.True(ecKey.HasPrivateKey);
        Assert.Equal(0, rsa.PrivateExportRequests);
        Assert.Equal(0, ec.PrivateExportRequests);
    }

    [Fact]
    public void AKeyObjectWithoutAPrivatePartIsNeverASigningKeyEvenWhenItAnswersAPrivateExport()
    {
        using var careless = TokenKey.FromRsa(new WrappedRsa(KeyObjects.RsaPublic()) { PrivateExport = PrivateExport.PublicOnly });

        Assert.False(careless.HasPrivateKey);
        Assert.Throws<ArgumentException>(() => new TokenKeySet(careless));
        Assert.Throws<InvalidOperationException>(() => TokenForge.SignRaw(careless, "{}", "{}"));
    }

    public static TheoryData<string, Func<TokenKey>> PublicKeys => new()
    {
        { "RSA PEM", () => TokenKey.ParsePem(KubernetesTestKeys.RsaPublicKey)[0] },
        { "ECDSA PEM", () => TokenKey.ParsePem(KubernetesTestKeys.EcdsaPublicKey)[0] },
        { "RSA object", () => TokenKey.FromRsa(KeyObjects.RsaPublic()) },
        { "ECDSA object", () => { var ec = ECDsa.Create(); ec.ImportFromPem(KubernetesTestKeys.EcdsaPublicKey); return TokenKey.FromECDsa(ec); } },
        { "non-exportable RSA object", () => TokenKey.FromRsa(new WrappedRsa(KeyObjects.RsaPublic())) },
    };

    [Theory]
    [MemberData(nameof(PublicKeys))]
    public void APublicKeyIsNeverASigningKey(string source, Func<TokenKey> create)
    {
        using var key = create();

        Assert.False(key.HasPrivateKey, source);
        Assert.Throws<ArgumentException>(() => new TokenKeySet(key));
        Assert.Throws<InvalidOperationException>(() => key.ExportPrivateKeyPem());
    }

    [Fact]
    public void AKeyWhosePrivateHalfDoesNotMatchItsPublicHalfIsRefused()
    {
        // Signs with one key and presents another's public half: its tokens would never verify anywhere.
        using var other = KeyObjects.OtherRsaPublic();
        using var mismatched = new WrappedRsa(KeyObjects.Rsa()) { ReportedPublicKey = other };

        var error = Assert.Throws<CryptographicException>(() => TokenKey.FromRsa(mismatched));

        Assert.Equal("the key signs, but its signatures do not verify with its public key: the private and public halves do not match", error.Message);
    }
}
