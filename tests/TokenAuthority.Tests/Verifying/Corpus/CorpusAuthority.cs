using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>
/// The authority the hostile corpus is built against and verified by. The Kubernetes RSA test key signs;
/// the P-256 test key and generated P-384 and P-521 keys verify. Each hostile token is made from a token
/// this authority really issued, with its real keys and issuer, so that it differs from a valid token only
/// in the one thing the case is about.
/// </summary>
public sealed class CorpusAuthority : IDisposable
{
    /// <summary>The audience every corpus token carries and is verified for.</summary>
    public const string Audience = "api";

    private const string RawMarker = "\u0001raw\u0001";

    public CorpusAuthority()
    {
        Rsa = TokenForge.RsaKey();
        Es256 = TokenForge.EcdsaKey();
        Es384 = TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP384));
        Es512 = TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP521));
        Retired = TokenKey.GenerateRsa();

        using (var pems = new TempPemFile(Es256.ExportPublicKeyPem() + "\n" + Es384.ExportPublicKeyPem() + "\n" + Es512.ExportPublicKeyPem()))
        {
            Authority = new TestAuthority(o => o.VerificationKeyFiles.Add(pems.Path), signingKey: Rsa);

            // The key set is read lazily: read it while the file exists.
            JsonWebKeySet = Authority.Metadata.Current.KeySetJson;
        }

        GenuineToken = Authority.Create(new TokenRequestSpec { Audiences = [Audience] }).Response!.Status.Token;
        GenuinePayload = TokenForge.DecodePart(GenuineToken, 1);
        IssuedAt = TokenForge.Payload(GenuineToken).GetProperty("iat").GetInt64();
        ProbeToken = SignPayload(ProbePayload(GenuinePayload));
        (LongestWithinTheLimit, JustOverTheLimit) = SizeEdge();

        // The previous ring: the retired key signed this token through a real TokenRequest, then it was rotated out.
        using (var previous = new TestAuthority(signingKey: Retired))
        {
            RetiredToken = previous.Create(new TokenRequestSpec { Audiences = [Audience] }).Response!.Status.Token;
        }

        var attacker = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        AttackerCertificate = Convert.ToBase64String(certificate.RawData);
        Attacker = TokenKey.FromRsa(attacker);
        Recorder = new ConnectionRecorder();
    }

    public TestAuthority Authority { get; }

    /// <summary>The signing key (the Kubernetes RSA test key).</summary>
    public TokenKey Rsa { get; }

    /// <summary>The Kubernetes P-256 test key; its public half is a verification key.</summary>
    public TokenKey Es256 { get; }

    public TokenKey Es384 { get; }

    public TokenKey Es512 { get; }

    /// <summary>A key that signed tokens once and is no longer in the ring.</summary>
    public TokenKey Retired { get; }

    /// <summary>A token issued by a TokenRequest while <see cref="Retired"/> was the signing key.</summary>
    public string RetiredToken { get; }

    /// <summary>A key the authority never trusted.</summary>
    public TokenKey Attacker { get; }

    /// <summary>A self-signed certificate for <see cref="Attacker"/> (standard base64 DER, as <c>x5c</c> holds it).</summary>
    public string AttackerCertificate { get; }

    /// <summary>The JWKS document the authority publishes.</summary>
    public string JsonWebKeySet { get; }

    /// <summary>Counts connections to the URLs put in <c>jku</c> and <c>x5u</c> headers.</summary>
    public ConnectionRecorder Recorder { get; }

    /// <summary>A token the authority issued for <see cref="Audience"/> through a TokenRequest.</summary>
    public string GenuineToken { get; }

    /// <summary>The payload JSON of <see cref="GenuineToken"/>.</summary>
    public string GenuinePayload { get; }

    /// <summary>The <c>iat</c> (and <c>nbf</c>) of <see cref="GenuineToken"/>: the authority's clock.</summary>
    public long IssuedAt { get; }

    /// <summary>
    /// The genuine payload plus a note whose base64url holds both <c>-</c> and <c>_</c> and whose length needs
    /// padding and leaves unused bits, signed by the signing key: the base for the base64 cases, which must
    /// not depend on what a random <c>jti</c> happens to encode to.
    /// </summary>
    public string ProbeToken { get; }

    /// <summary>The longest correctly signed token within <see cref="CompactJws.MaxLength"/>.</summary>
    public string LongestWithinTheLimit { get; }

    /// <summary>The same token with one more filler byte: one or two characters over the limit.</summary>
    public string JustOverTheLimit { get; }

    /// <summary>The three parts of <see cref="GenuineToken"/>.</summary>
    public string[] Parts => GenuineToken.Split('.');

    /// <summary>The header the issuer writes for <paramref name="key"/>: <c>{"alg","kid"}</c>.</summary>
    public static string Header(TokenKey key) => TokenForge.Header(key);

    /// <summary>Signs any header and payload text with the key, as the issuer signs (ECDSA as R‖S).</summary>
    public static string Sign(TokenKey key, string header, string payload) => TokenForge.SignRaw(key, header, payload);

    /// <summary>The genuine payload signed again by the signing key under another header.</summary>
    public string SignWithHeader(string header) => Sign(Rsa, header, GenuinePayload);

    /// <summary>A payload signed by the signing key under its genuine header.</summary>
    public string SignPayload(string payload) => Sign(Rsa, Header(Rsa), payload);

    public static string Encode(string text) => TokenForge.Encode(text);

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>
    /// The genuine payload with the top-level member <paramref name="claim"/> set to the raw JSON text
    /// <paramref name="rawJson"/> (added when absent), so values no serializer writes (<c>1e400</c>) can be tested.
    /// </summary>
    public string PayloadWith(string claim, string rawJson) => WithRaw(GenuinePayload, o => o[claim] = RawMarker, rawJson);

    /// <summary>The genuine payload with a member of the <c>kubernetes.io</c> claim set to raw JSON.</summary>
    public string PayloadWithPrivate(string member, string rawJson) =>
        WithRaw(GenuinePayload, o => o["kubernetes.io"]!.AsObject()[member] = RawMarker, rawJson);

    /// <summary>The genuine payload with the serviceaccount reference's name set to <paramref name="name"/>.</summary>
    public string PayloadWithServiceAccountName(string name)
    {
        var payload = JsonNode.Parse(GenuinePayload)!.AsObject();
        payload["kubernetes.io"]!["serviceaccount"]!["name"] = name;
        return payload.ToJsonString();
    }

    /// <summary><paramref name="json"/> with <c>"name":</c> first preceded by another member of that name holding <paramref name="firstRawJson"/>.</summary>
    public static string WithDuplicate(string json, string name, string firstRawJson)
    {
        var member = $"\"{name}\":";
        var at = json.IndexOf(member, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"no member {name} in {json}");
        }

        return json[..at] + member + firstRawJson + "," + json[at..];
    }

    /// <summary>The genuine payload with the audience list replaced by <paramref name="audience"/>, signed by the signing key.</summary>
    public string WithAudience(string audience) => SignPayload(PayloadWith("aud", JsonSerializer.Serialize(new[] { audience })));

    /// <summary>The genuine payload with the issuer replaced by <paramref name="issuer"/>, signed by the signing key.</summary>
    public string WithIssuer(string issuer) => SignPayload(PayloadWith("iss", JsonSerializer.Serialize(issuer)));

    /// <summary>A token whose signature is an HMAC under <paramref name="alg"/> keyed with <paramref name="secret"/>.</summary>
    public string Hmac(string alg, byte[] secret, string? kid)
    {
        var header = kid is null ? $$"""{"alg":"{{alg}}"}""" : $$"""{"alg":"{{alg}}","kid":"{{kid}}"}""";
        var input = Encoding.ASCII.GetBytes(Encode(header) + "." + Encode(GenuinePayload));
        var mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(secret, input),
            "HS384" => HMACSHA384.HashData(secret, input),
            _ => HMACSHA512.HashData(secret, input),
        };
        return Encoding.ASCII.GetString(input) + "." + Encode(mac);
    }

    /// <summary>The genuine payload signed by an ECDSA key with the signature in DER (RFC 3279) form instead of R‖S.</summary>
    public string SignEcdsaDer(TokenKey key)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.ExportPrivateKeyPem());
        var input = Encode(Header(key)) + "." + Encode(GenuinePayload);
        var hash = key.Algorithm switch
        {
            "ES256" => HashAlgorithmName.SHA256,
            "ES384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        return input + "." + Encode(ecdsa.SignData(Encoding.ASCII.GetBytes(input), hash, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>The genuine payload signed by the signing RSA key with another RSA algorithm than the key's RS256.</summary>
    public string SignRsaWith(string alg, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(Rsa.ExportPrivateKeyPem());
        var input = Encode($$"""{"alg":"{{alg}}","kid":"{{Rsa.KeyId}}"}""") + "." + Encode(GenuinePayload);
        return input + "." + Encode(rsa.SignData(Encoding.ASCII.GetBytes(input), hash, padding));
    }

    /// <summary>One public key of the published JWKS, as its JSON text.</summary>
    public string PublishedJwk(string kid)
    {
        using var set = JsonDocument.Parse(JsonWebKeySet);
        return set.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid).GetRawText();
    }

    /// <summary>The attacker's public key as a JWK object (for an embedded <c>jwk</c> header).</summary>
    public string AttackerJwk()
    {
        var p = Attacker.RsaPublicParameters();
        return $$"""{"kty":"RSA","kid":"{{Attacker.KeyId}}","n":"{{Encode(p.Modulus!)}}","e":"{{Encode(p.Exponent!)}}"}""";
    }

    /// <summary>Verifies for <see cref="Audience"/>, as every corpus case is.</summary>
    public TokenVerificationResult Verify(string token) => Authority.Verify(token, Audience);

    public void Dispose()
    {
        Recorder.Dispose();
        Authority.Dispose();
        Attacker.Dispose();
        Retired.Dispose();
        Es256.Dispose();
        Es384.Dispose();
        Es512.Dispose();
        Rsa.Dispose();
    }

    private static string ProbePayload(string payload)
    {
        // "?????" has an aligned "???" (0x3F3F3F → "Pz8_") and ">>>>>" an aligned ">>>" (0x3E3E3E → "Pj4-").
        var probe = WithRaw(payload, o => o["note"] = RawMarker, "\"?????>>>>>\"");
        return Encoding.UTF8.GetByteCount(probe) % 3 == 0 ? probe + " " : probe;
    }

    private (string Within, string Over) SizeEdge()
    {
        string WithFiller(int n) => SignPayload(PayloadWith("filler", JsonSerializer.Serialize(new string('a', n))));

        // Each filler byte adds 4/3 of a character: start a little short of the limit and walk up.
        var n = ((CompactJws.MaxLength - GenuineToken.Length) * 3 / 4) - 12;
        var within = WithFiller(n);
        while (true)
        {
            var next = WithFiller(++n);
            if (next.Length > CompactJws.MaxLength)
            {
                return within.Length <= CompactJws.MaxLength ? (within, next) : throw new InvalidOperationException("the filler started over the limit");
            }

            within = next;
        }
    }

    private static string WithRaw(string json, Action<JsonObject> set, string rawJson)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        set(node);
        var text = node.ToJsonString();
        var marker = JsonSerializer.Serialize(RawMarker);
        return text.Contains(marker, StringComparison.Ordinal)
            ? text.Replace(marker, rawJson, StringComparison.Ordinal)
            : throw new InvalidOperationException("the marker was not written as expected: " + text);
    }
}
