using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>Spec §2: header, claim set, key order, escaping and algorithms of issued tokens.</summary>
public partial class TokenFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidV4();

    private static TestAuthority NewAuthority(TokenKey? key = null)
    {
        var authority = new TestAuthority(signingKey: key);
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        authority.Store.AddPod("default", "web-1", "builder", "unscheduled-node", "pod-uid-1");
        authority.Store.AddPod("default", "web-2", "builder", null, "pod-uid-2");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        return authority;
    }

    private static string Issue(TestAuthority authority, TokenRequestSpec spec)
    {
        var result = authority.Create(spec);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Response.Status.Token;
    }

    [Fact]
    public void TheHeaderIsExactlyAlgAndKid()
    {
        using var authority = NewAuthority();
        var token = Issue(authority, new TokenRequestSpec());

        Assert.Equal("""{"alg":"RS256","kid":"JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU"}""", TokenForge.DecodePart(token, 0));
        Assert.Equal(3, token.Split('.').Length);
        Assert.DoesNotContain('=', token);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
    }

    [Fact]
    public void ThePayloadIsByteForByteKubernetesAndTheSignatureIsRs256()
    {
        using var authority = NewAuthority();
        var token = Issue(authority, new TokenRequestSpec
        {
            Audiences = ["api"],
            BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
        });
        var payload = TokenForge.DecodePart(token, 1);
        var jti = JsonDocument.Parse(payload).RootElement.GetProperty("jti").GetString()!;

        Assert.Equal(
            $$$"""{"aud":["api"],"exp":{{{T + 3600}}},"iat":{{{T}}},"iss":"https://issuer.example.com","jti":"{{{jti}}}","kubernetes.io":{"namespace":"default","node":{"name":"n1","uid":"node-uid"},"pod":{"name":"web-0","uid":"pod-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}},"nbf":{{{T}}},"sub":"system:serviceaccount:default:builder"}""",
            payload);

        // RS256 is deterministic: the signature is PKCS#1 v1.5 over SHA-256 of "header.payload", with the test key.
        using var rsa = RSA.Create();
        rsa.ImportFromPem(KubernetesTestKeys.RsaPrivateKey);
        var parts = token.Split('.');
        var expected = rsa.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(Base64Url.EncodeToString(expected), parts[2]);
    }

    [Fact]
    public void ClaimsAreSortedTheAudienceIsAnArrayAndNbfIsIat()
    {
        using var authority = NewAuthority();
        var payload = TokenForge.Payload(Issue(authority, new TokenRequestSpec { Audiences = ["only-one"] }));

        Assert.Equal(["aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("aud").ValueKind);
        Assert.Equal(["only-one"], payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(T, payload.GetProperty("iat").GetInt64());
        Assert.Equal(payload.GetProperty("iat").GetInt64(), payload.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public void EveryTokenHasItsOwnLowerCaseUuidV4Jti()
    {
        using var authority = NewAuthority();
        var jtis = Enumerable.Range(0, 20)
            .Select(_ => TokenForge.Payload(Issue(authority, new TokenRequestSpec())).GetProperty("jti").GetString()!)
            .ToArray();

        Assert.All(jtis, j => Assert.Matches(UuidV4(), j));
        Assert.Equal(jtis.Length, jtis.Distinct().Count());
    }

    [Fact]
    public void TheCredentialIdIsTheJti()
    {
        using var authority = NewAuthority();
        var result = authority.Create(new TokenRequestSpec());
        var jti = TokenForge.Payload(result.Response!.Status.Token).GetProperty("jti").GetString();

        Assert.Equal("JTI=" + jti, result.CredentialId);
    }

    [Theory]
    [InlineData(null, null, """{"namespace":"default","serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    [InlineData("Pod", "web-0", """{"namespace":"default","node":{"name":"n1","uid":"node-uid"},"pod":{"name":"web-0","uid":"pod-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    [InlineData("Pod", "web-1", """{"namespace":"default","node":{"name":"unscheduled-node"},"pod":{"name":"web-1","uid":"pod-uid-1"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    [InlineData("Pod", "web-2", """{"namespace":"default","pod":{"name":"web-2","uid":"pod-uid-2"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    [InlineData("Secret", "s1", """{"namespace":"default","secret":{"name":"s1","uid":"secret-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    [InlineData("Node", "n1", """{"namespace":"default","node":{"name":"n1","uid":"node-uid"},"serviceaccount":{"name":"builder","uid":"sa-uid-1"}}""")]
    public void TheKubernetesClaimDescribesTheBinding(string? kind, string? name, string expected)
    {
        using var authority = NewAuthority();
        var token = Issue(authority, new TokenRequestSpec
        {
            BoundObjectRef = kind is null ? null : new BoundObjectReference { Kind = kind, ApiVersion = "v1", Name = name },
        });

        Assert.Equal(expected, TokenForge.Payload(token).GetProperty("kubernetes.io").GetRawText());
    }

    [Fact]
    public void StringsAreEscapedAsGoDoes()
    {
        using var authority = NewAuthority();
        var payload = TokenForge.DecodePart(Issue(authority, new TokenRequestSpec { Audiences = ["a<b>&c/d\u2028e\u2029f\"g\\hé\u0001"] }), 1);

        Assert.StartsWith("{\"aud\":[\"a\\u003cb\\u003e\\u0026c/d\\u2028e\\u2029f\\\"g\\\\hé\\u0001\"],", payload);
    }

    [Theory]
    [InlineData("nistP256", "ES256", 64)]
    [InlineData("nistP384", "ES384", 96)]
    [InlineData("nistP521", "ES512", 132)]
    public void EcdsaKeysSignWithTheirCurvesAlgorithm(string curve, string alg, int signatureLength)
    {
        var key = TokenKey.FromECDsa(ECDsa.Create(ECCurve.CreateFromFriendlyName(curve)));
        using var authority = NewAuthority(key);
        var token = Issue(authority, new TokenRequestSpec { Audiences = ["api"] });

        Assert.Equal($$"""{"alg":"{{alg}}","kid":"{{key.KeyId}}"}""", TokenForge.DecodePart(token, 0));
        Assert.Equal(signatureLength, Base64Url.DecodeFromChars(token.Split('.')[2]).Length);
        Assert.True(authority.Verify(token, "api").Succeeded);
    }

    [Fact]
    public void AnEcdsaKeyOnAnotherCurveIsRefused()
    {
        using var p224 = ECDsa.Create(ECCurve.CreateFromFriendlyName("secp224r1"));
        var error = Assert.Throws<NotSupportedException>(() => TokenKey.FromECDsa(p224));
        Assert.Equal("unknown private key curve, must be 256, 384, or 521", error.Message);
    }
}
