using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TokenAuthority.Claims;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>Forged and malformed tokens: none of them authenticates, and non-JWTs are not recognised.</summary>
public class SecurityNegativeTests
{
    private const string CryptoError = "go-jose/go-jose: error in cryptographic primitive";
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static string Payload => ClaimsSerializer.Serialize(TokenForge.Claims(Now, 3600, "api"));

    private static TestAuthority NewAuthority()
    {
        // RSA signing key plus the P-256 test key's public half as a verification key.
        var ec = new TempPemFile(KubernetesTestKeys.EcdsaPublicKey);
        var authority = new TestAuthority(o => o.VerificationKeyFiles.Add(ec.Path));
        _ = authority.Metadata.Current;
        ec.Dispose();
        return authority;
    }

    private static string Unsigned(string header, string signature = "") => TokenForge.Encode(header) + "." + TokenForge.Encode(Payload) + "." + signature;

    private static string Hs256(byte[] secret, string kid)
    {
        var input = TokenForge.Encode($$"""{"alg":"HS256","kid":"{{kid}}"}""") + "." + TokenForge.Encode(Payload);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void TheGenuineTokenAuthenticates()
    {
        using var authority = NewAuthority();
        Assert.True(authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api")), "api").Succeeded);
        Assert.True(authority.Verify(TokenForge.Sign(TokenForge.EcdsaKey(), TokenForge.Claims(Now, 3600, "api")), "api").Succeeded);
    }

    public static TheoryData<string, string> Forged()
    {
        var rsa = TokenForge.RsaKey();
        var ec = TokenForge.EcdsaKey();
        var spkiPem = Encoding.ASCII.GetBytes(KubernetesTestKeys.RsaPublicKey);
        var spkiDer = rsa.ExportSubjectPublicKeyInfo();
        return new TheoryData<string, string>
        {
            { "alg none, empty signature", Unsigned($$"""{"alg":"none","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""") },
            { "alg none without kid, empty signature", Unsigned("""{"alg":"none"}""") },
            { "alg none with a signature", Unsigned("""{"alg":"none"}""", "c2ln") },
            { "RS256 with an empty signature", Unsigned($$"""{"alg":"RS256","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""") },
            { "ES256 with an empty signature", Unsigned($$"""{"alg":"ES256","kid":"{{KubernetesTestKeys.EcdsaKeyId}}"}""") },
            { "alg missing", TokenForge.SignRaw(rsa, $$"""{"kid":"{{KubernetesTestKeys.RsaKeyId}}"}""", Payload) },
            { "HS256 keyed with the RSA public key PEM", Hs256(spkiPem, KubernetesTestKeys.RsaKeyId) },
            { "HS256 keyed with the RSA public key DER", Hs256(spkiDer, KubernetesTestKeys.RsaKeyId) },
            { "HS256 keyed with the EC public key PEM", Hs256(Encoding.ASCII.GetBytes(KubernetesTestKeys.EcdsaPublicKey), KubernetesTestKeys.EcdsaKeyId) },
            { "RS256 signature presented with the EC kid", TokenForge.SignRaw(rsa, $$"""{"alg":"RS256","kid":"{{KubernetesTestKeys.EcdsaKeyId}}"}""", Payload) },
            { "ES256 signature presented with the RSA kid", TokenForge.SignRaw(ec, $$"""{"alg":"ES256","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""", Payload) },
            { "RS256 signature labelled ES256", TokenForge.SignRaw(rsa, $$"""{"alg":"ES256","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""", Payload) },
            { "crit header", TokenForge.SignRaw(rsa, $$"""{"alg":"RS256","crit":["exp"],"exp":1,"kid":"{{KubernetesTestKeys.RsaKeyId}}"}""", Payload) },
            { "b64 header", TokenForge.SignRaw(rsa, $$"""{"alg":"RS256","b64":false,"crit":["b64"],"kid":"{{KubernetesTestKeys.RsaKeyId}}"}""", Payload) },
            { "signature of another payload", string.Join('.', TokenForge.SignRaw(rsa, TokenForge.Header(rsa), Payload.Replace("builder", "admin", StringComparison.Ordinal)).Split('.')[..2]) + "." + TokenForge.SignRaw(rsa, TokenForge.Header(rsa), Payload).Split('.')[2] },
        };
    }

    [Theory]
    [MemberData(nameof(Forged))]
    public void ForgedTokensAreRejectedWithTheCryptoError(string situation, string token)
    {
        using var authority = NewAuthority();
        var result = authority.Verify(token, "api");

        Assert.False(result.Succeeded, situation);
        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, result.Failure);
        Assert.Equal(CryptoError, result.Error);
        Assert.Null(result.Claims);
    }

    public static TheoryData<string, string> NotJwts()
    {
        var genuine = TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api"));
        var p = genuine.Split('.');
        return new TheoryData<string, string>
        {
            { "empty", string.Empty },
            { "whitespace", "   " },
            { "garbage", "garbage" },
            { "three garbage parts", "a.b.c" },
            { "two parts", p[0] + "." + p[1] },
            { "four parts", genuine + ".AAAA" },
            { "five parts (JWE-shaped)", genuine + ".AAAA.BBBB" },
            { "JWS JSON serialisation", $$"""{"payload":"{{p[1]}}","protected":"{{p[0]}}","signature":"{{p[2]}}"}""" },
            { "JWS JSON serialisation after whitespace", $$""" {"payload":"{{p[1]}}","protected":"{{p[0]}}","signature":"{{p[2]}}"}""" },
            { "padded payload", p[0] + "." + p[1] + "=." + p[2] },
            { "padded header", p[0] + "=." + p[1] + "." + p[2] },
            { "padded signature", p[0] + "." + p[1] + "." + p[2] + "=" },
            { "standard base64 alphabet", p[0] + "." + p[1] + "." + p[2].Replace('-', '+').Replace('_', '/') + (p[2].Contains('-') || p[2].Contains('_') ? string.Empty : "+") },
            { "non-canonical last character of the signature", p[0] + "." + p[1] + "." + NonCanonical(p[2]) },
            { "payload is not JSON", p[0] + "." + TokenForge.Encode("not json") + "." + p[2] },
            { "payload is an array", p[0] + "." + TokenForge.Encode("""["https://issuer.example.com"]""") + "." + p[2] },
            { "issuer is not a string", p[0] + "." + TokenForge.Encode("""{"iss":["https://issuer.example.com"]}""") + "." + p[2] },
            { "foreign issuer", TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api") with { Issuer = "https://evil.example.com" }) },
            { "issuer differing in case", TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api") with { Issuer = "https://ISSUER.example.com" }) },
            { "issuer with a trailing slash", TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api") with { Issuer = "https://issuer.example.com/" }) },
            { "Bearer prefix", "Bearer " + genuine },
        };
    }

    [Theory]
    [MemberData(nameof(NotJwts))]
    public void MalformedOrForeignInputIsNotRecognised(string situation, string token)
    {
        using var authority = NewAuthority();
        var result = authority.Verify(token, "api");

        Assert.False(result.Succeeded, situation);
        Assert.Equal(TokenVerificationOutcome.NotRecognized, result.Outcome);
        Assert.Equal("invalid bearer token", result.ReviewError);
    }

    [Fact]
    public void AKidThatIsNotUtf8IsAnUnknownKidNotACrash()
    {
        using var authority = NewAuthority();
        var header = Base64Url.EncodeToString([.. Encoding.ASCII.GetBytes("{\"alg\":\"RS256\",\"kid\":\""), 0xff, 0xfe, .. Encoding.ASCII.GetBytes("\"}")]);
        var input = header + "." + TokenForge.Encode(Payload);
        var token = input + "." + Base64Url.EncodeToString(TokenForge.RsaKey().Sign(Encoding.ASCII.GetBytes(input)));

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
        Assert.Equal("invalid signature, no keys found", result.Error);
    }

    [Fact]
    public void AnIssuerThatIsNotUtf8IsNotRecognisedNotACrash()
    {
        using var authority = NewAuthority();
        var payload = Base64Url.EncodeToString([.. Encoding.ASCII.GetBytes("{\"iss\":\"https://issuer.example.com"), 0xff, .. Encoding.ASCII.GetBytes("\"}")]);
        var token = TokenForge.Encode(TokenForge.Header(TokenForge.RsaKey())) + "." + payload + ".c2ln";

        Assert.Equal(TokenVerificationOutcome.NotRecognized, authority.Verify(token, "api").Outcome);
    }

    [Fact]
    public void ATokenIsNotAcceptedFromAnUnrelatedKeyEvenWithTheTrustedKid()
    {
        using var authority = NewAuthority();
        using var attacker = RSA.Create(2048);
        var header = TokenForge.Encode(TokenForge.Header(TokenForge.RsaKey()));
        var input = header + "." + TokenForge.Encode(Payload);
        var token = input + "." + Base64Url.EncodeToString(attacker.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal(CryptoError, authority.Verify(token, "api").Error);
    }

    private static string NonCanonical(string part)
    {
        // A last character that differs only in the unused low bits decodes to the same bytes.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(part[^1], StringComparison.Ordinal);
        var unusedBits = (part.Length % 4) switch { 2 => 4, 3 => 2, _ => 0 };
        Assert.True(unusedBits > 0, "the signature length leaves no unused bits");
        return part[..^1] + alphabet[last ^ 1];
    }
}
