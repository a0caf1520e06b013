using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TokenAuthority.Verifying;
using static TokenAuthority.Tests.Verifying.Corpus.CorpusAuthority;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>
/// The hostile token corpus (issue #8): every case names what is wrong with its token and how the verifier
/// must answer. Tokens are built from a token the corpus authority really issued; where a case is about a
/// claim or a header, the token is signed again with the authority's real key, so that it is the claim or
/// header check that refuses it and not the signature.
/// </summary>
public static class HostileTokenCorpus
{
    public const string CryptoError = "go-jose/go-jose: error in cryptographic primitive";

    public const string NoKeysFound = "invalid signature, no keys found";

    /// <summary>What the verifier says when a signed payload's claims do not decode (go-jose refuses them too, with a JSON error).</summary>
    public const string UndecodableClaims = "service account token claims could not be validated due to unexpected private claim";

    public const string Expired = "service account token has expired";

    public static IReadOnlyList<HostileTokenCase> Cases { get; } =
    [
        // Random bytes.
        NotRecognized("random bytes: 512 bytes read as Latin-1 text", _ => Encoding.Latin1.GetString(RandomBytes(1, 512))),
        NotRecognized("random bytes: three base64url parts of random bytes", _ => $"{Encode(RandomBytes(2, 60))}.{Encode(RandomBytes(3, 200))}.{Encode(RandomBytes(4, 256))}"),
        NotRecognized("random bytes: the genuine header with a random payload and signature", a => $"{a.Parts[0]}.{Encode(RandomBytes(5, 200))}.{Encode(RandomBytes(6, 256))}"),
        BadSignature("random bytes: the genuine header and payload with a random 256-byte signature", a => $"{a.Parts[0]}.{a.Parts[1]}.{Encode(RandomBytes(7, 256))}"),
        BadSignature("random bytes: a signature of 256 zero bytes", a => $"{a.Parts[0]}.{a.Parts[1]}.{Encode(new byte[256])}"),

        // Part counts.
        NotRecognized("part count 1: the payload alone", a => a.Parts[1]),
        NotRecognized("part count 2: the signature dropped with its dot", a => $"{a.Parts[0]}.{a.Parts[1]}"),
        NotRecognized("part count 4: a trailing dot", a => a.GenuineToken + "."),
        NotRecognized("part count 5: two genuine tokens joined by a dot", a => a.GenuineToken + "." + a.GenuineToken),
        NotRecognized("part count 3 with an empty header", a => $".{a.Parts[1]}.{a.Parts[2]}"),
        NotRecognized("part count 3 with an empty payload", a => $"{a.Parts[0]}..{a.Parts[2]}"),
        BadSignature("part count 3 with an empty signature", a => $"{a.Parts[0]}.{a.Parts[1]}."),

        // Base64 that is not canonical unpadded base64url.
        NotRecognized("base64: the header with its standard padding", a => Part(a.ProbeToken, 0, Pad)),
        NotRecognized("base64: the payload with its standard padding", a => Part(a.ProbeToken, 1, Pad)),
        NotRecognized("base64: the signature with its standard padding", a => Part(a.ProbeToken, 2, Pad)),
        NotRecognized("base64: the payload in the standard alphabet (+ and /)", a => Part(a.ProbeToken, 1, StandardAlphabet)),
        NotRecognized("base64: every part as Convert.ToBase64String writes it (padded, + and /)", a => string.Join('.', a.ProbeToken.Split('.').Select(p => Convert.ToBase64String(Base64Url.DecodeFromChars(p))))),
        NotRecognized("base64: non-canonical unused bits at the end of the header", a => Part(a.ProbeToken, 0, NonCanonical)),
        NotRecognized("base64: non-canonical unused bits at the end of the payload", a => Part(a.ProbeToken, 1, NonCanonical)),
        NotRecognized("base64: a MIME line break inside the payload", a => Part(a.ProbeToken, 1, p => p[..64] + "\r\n" + p[64..])),
        NotRecognized("base64: a space inside the signature", a => Part(a.ProbeToken, 2, p => p[..100] + " " + p[100..])),
        NotRecognized("base64: a space before the token", a => " " + a.GenuineToken),

        // Size.
        NotRecognized("size: correctly signed, one or two characters over 16 KiB", a => a.JustOverTheLimit),
        NotRecognized("size: a mebibyte of base64 as the payload", a => $"{a.Parts[0]}.{new string('e', 1 << 20)}.{a.Parts[2]}"),

        // Deep and huge JSON (bounded by the 64 levels of JsonDocument and the 16 KiB limit).
        NotRecognized("deep JSON: a claim one level past 64, signed", a => a.SignPayload(a.PayloadWith("x", Nested(64)))),
        NotRecognized("deep JSON: 5000 nested arrays in the payload, signed", a => a.SignPayload(a.PayloadWith("x", Nested(5000)))),
        NotRecognized("deep JSON: 1500 nested objects in the header, signed", a => a.SignWithHeader(
            $$"""{"alg":"RS256","kid":"{{a.Rsa.KeyId}}","x":{{string.Concat(Enumerable.Repeat("{\"a\":", 1500))}}1{{new string('}', 1500)}}}""")),
        BadSignature("huge JSON: 800 members in the header under the trusted kid, the issued signature", a =>
            $"{Encode($$"""{"alg":"RS256","kid":"{{a.Rsa.KeyId}}",{{string.Join(',', Enumerable.Range(0, 800).Select(i => $"\"m{i}\":{i}"))}}}""")}.{a.Parts[1]}.{a.Parts[2]}"),
        BadClaims("huge JSON: exp as a 10,000-digit number, signed", a => a.SignPayload(a.PayloadWith("exp", "1" + new string('0', 9_999)))),

        // Duplicate members: readers disagree on which one wins, so neither is taken.
        NotRecognized("duplicate aud, the first naming another audience, signed", a => a.SignPayload(WithDuplicate(a.GenuinePayload, "aud", "[\"other\"]"))),
        NotRecognized("duplicate aud, one spelt with an escape, signed", a => a.SignPayload(a.GenuinePayload.Replace("\"aud\":", "\"\\u0061ud\":[\"other\"],\"aud\":", StringComparison.Ordinal))),
        NotRecognized("duplicate exp, the first long past, signed", a => a.SignPayload(WithDuplicate(a.GenuinePayload, "exp", "1"))),
        NotRecognized("duplicate kid, the first unknown, signed", a => a.SignWithHeader(WithDuplicate(Header(a.Rsa), "kid", "\"other\""))),
        NotRecognized("duplicate alg, the first none, signed", a => a.SignWithHeader(WithDuplicate(Header(a.Rsa), "alg", "\"none\""))),

        // Claims of the wrong type, signed with the real key: the claim check refuses them, not the signature.
        BadClaims("claim type: exp as a string of digits", a => a.SignPayload(a.PayloadWith("exp", $"\"{a.IssuedAt + 3600}\""))),
        Rejected("claim type: exp a float whose fraction rounding would keep (T-61.5 truncates to T-61)", TokenVerificationFailure.Expired, Expired,
            a => a.SignPayload(a.PayloadWith("exp", $"{a.IssuedAt - 61}.5"))),
        Rejected("claim type: exp in exponent notation, long past (1.7e9)", TokenVerificationFailure.Expired, Expired, a => a.SignPayload(a.PayloadWith("exp", "1.7e9"))),
        Rejected("claim type: exp negative (-1)", TokenVerificationFailure.Expired, Expired, a => a.SignPayload(a.PayloadWith("exp", "-1"))),
        Rejected("claim type: exp the smallest 64-bit integer", TokenVerificationFailure.Expired, Expired, a => a.SignPayload(a.PayloadWith("exp", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        BadClaims("claim type: exp one past the largest 64-bit integer (2^63)", a => a.SignPayload(a.PayloadWith("exp", "9223372036854775808"))),
        BadClaims("claim type: exp beyond 64 bits (2^64)", a => a.SignPayload(a.PayloadWith("exp", "18446744073709551616"))),
        BadClaims("claim type: exp 1e400 (infinite as a double)", a => a.SignPayload(a.PayloadWith("exp", "1e400"))),
        BadClaims("claim type: exp -1e400", a => a.SignPayload(a.PayloadWith("exp", "-1e400"))),
        BadClaims("claim type: exp an object", a => a.SignPayload(a.PayloadWith("exp", "{\"seconds\":1}"))),
        BadClaims("claim type: nbf as a string", a => a.SignPayload(a.PayloadWith("nbf", $"\"{a.IssuedAt}\""))),
        Rejected("claim type: iat a float in exponent notation, far future (9.9e15)", TokenVerificationFailure.IssuedInFuture, "service account token is issued in the future",
            a => a.SignPayload(a.PayloadWith("iat", "9.9e15"))),
        BadClaims("claim type: aud as a number", a => a.SignPayload(a.PayloadWith("aud", "1"))),
        BadClaims("claim type: aud an array holding a number", a => a.SignPayload(a.PayloadWith("aud", "[\"api\",1]"))),
        BadClaims("claim type: aud as an object", a => a.SignPayload(a.PayloadWith("aud", "{\"api\":true}"))),
        BadClaims("claim type: warnafter as a string", a => a.SignPayload(a.PayloadWithPrivate("warnafter", "\"soon\""))),
        BadClaims("claim type: kubernetes.io as a string", a => a.SignPayload(a.PayloadWith("kubernetes.io", "\"default/builder\""))),
        NotRecognized("claim type: iss as an array holding the issuer, signed", a => a.SignPayload(a.PayloadWith("iss", JsonSerializer.Serialize(new[] { TestSupport.TestAuthority.Issuer })))),

        // JSON the verifier must not be lenient about, signed with the real key.
        NotRecognized("JSON: a comment in the header", a => a.SignWithHeader($$"""{"alg":"RS256",/* trusted */"kid":"{{a.Rsa.KeyId}}"}""")),
        NotRecognized("JSON: a byte-order mark before the payload", a => a.SignPayload("\uFEFF" + a.GenuinePayload)),
        NotRecognized("JSON: a NUL after the payload object", a => a.SignPayload(a.GenuinePayload + "\0")),
        NotRecognized("JSON: two payload objects back to back", a => a.SignPayload(a.GenuinePayload + a.GenuinePayload)),
        NotRecognized("JSON: a trailing comma in the payload", a => a.SignPayload(a.GenuinePayload[..^1] + ",}")),
        NotRecognized("JSON: the header is an array", a => a.SignWithHeader($$"""[{"alg":"RS256","kid":"{{a.Rsa.KeyId}}"}]""")),

        // alg none.
        BadSignature("alg none: the genuine payload under the trusted kid, no signature", a => $"{Encode($$"""{"alg":"none","kid":"{{a.Rsa.KeyId}}"}""")}.{a.Parts[1]}."),
        BadSignature("alg none: no kid, so every key is tried, no signature", a => $"{Encode("""{"alg":"none"}""")}.{a.Parts[1]}."),
        BadSignature("alg None (capitalised) with the genuine signature kept", a => $"{Encode($$"""{"alg":"None","kid":"{{a.Rsa.KeyId}}"}""")}.{a.Parts[1]}.{a.Parts[2]}"),
        BadSignature("alg as a number, signed by the real key", a => a.SignWithHeader($$"""{"alg":256,"kid":"{{a.Rsa.KeyId}}"}""")),
        BadSignature("alg null, signed by the real key", a => a.SignWithHeader($$"""{"alg":null,"kid":"{{a.Rsa.KeyId}}"}""")),

        // HMAC keyed with the public key, in every form an attacker can download.
        BadSignature("HS256 keyed with the RSA public key as SubjectPublicKeyInfo PEM", a => a.Hmac("HS256", Encoding.ASCII.GetBytes(a.Rsa.ExportPublicKeyPem()), a.Rsa.KeyId)),
        BadSignature("HS256 keyed with the RSA public key PEM plus a newline", a => a.Hmac("HS256", Encoding.ASCII.GetBytes(a.Rsa.ExportPublicKeyPem() + "\n"), a.Rsa.KeyId)),
        BadSignature("HS256 keyed with the RSA public key as PKCS#1 PEM", a => a.Hmac("HS256", Encoding.ASCII.GetBytes(Pkcs1PublicPem(a)), a.Rsa.KeyId)),
        BadSignature("HS256 keyed with the RSA public key as DER", a => a.Hmac("HS256", a.Rsa.ExportSubjectPublicKeyInfo(), a.Rsa.KeyId)),
        BadSignature("HS256 keyed with the RSA public key as the published JWK", a => a.Hmac("HS256", Encoding.UTF8.GetBytes(a.PublishedJwk(a.Rsa.KeyId)), a.Rsa.KeyId)),
        BadSignature("HS256 keyed with the whole published JWKS, no kid", a => a.Hmac("HS256", Encoding.UTF8.GetBytes(a.JsonWebKeySet), null)),
        BadSignature("HS384 keyed with the P-256 public key PEM", a => a.Hmac("HS384", Encoding.ASCII.GetBytes(a.Es256.ExportPublicKeyPem()), a.Es256.KeyId)),
        BadSignature("HS512 keyed with the P-521 public key as the published JWK", a => a.Hmac("HS512", Encoding.UTF8.GetBytes(a.PublishedJwk(a.Es512.KeyId)), a.Es512.KeyId)),

        // An alg that does not match the key (each key fixes one algorithm).
        BadSignature("alg mismatch: PS256 by the real RSA key (Kubernetes takes PS256; this key fixes RS256)", a => a.SignRsaWith("PS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pss)),
        BadSignature("alg mismatch: RS512 by the real RSA key", a => a.SignRsaWith("RS512", HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)),
        BadSignature("alg mismatch: an RS256 signature labelled RS384", a => a.SignWithHeader($$"""{"alg":"RS384","kid":"{{a.Rsa.KeyId}}"}""")),
        BadSignature("alg mismatch: an ES256 signature labelled ES384", a => Sign(a.Es256, $$"""{"alg":"ES384","kid":"{{a.Es256.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("alg mismatch: the P-384 key's ES384 signature under the P-256 kid", a => Sign(a.Es384, $$"""{"alg":"ES384","kid":"{{a.Es256.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("alg mismatch: the P-521 key's signature labelled ES256", a => Sign(a.Es512, $$"""{"alg":"ES256","kid":"{{a.Es512.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("alg mismatch: the RSA key's RS256 signature under the P-521 kid", a => a.SignWithHeader($$"""{"alg":"RS256","kid":"{{a.Es512.KeyId}}"}""")),

        // Header parameters that would change how the token is read, or where its key comes from (never followed).
        BadSignature("crit naming an extension, real signature", a => a.SignWithHeader($$"""{"alg":"RS256","crit":["x-policy"],"kid":"{{a.Rsa.KeyId}}","x-policy":1}""")),
        BadSignature("crit spelt with a JSON escape, real signature", a => a.SignWithHeader($$"""{"alg":"RS256","\u0063rit":["x-policy"],"kid":"{{a.Rsa.KeyId}}","x-policy":1}""")),
        BadSignature("crit as an empty list, real signature", a => a.SignWithHeader($$"""{"alg":"RS256","crit":[],"kid":"{{a.Rsa.KeyId}}"}""")),
        BadSignature("b64 false without crit, real signature", a => a.SignWithHeader($$"""{"alg":"RS256","b64":false,"kid":"{{a.Rsa.KeyId}}"}""")),
        UnknownKey("jku to a listening port, signed by the attacker under its own kid", a => Sign(a.Attacker, $$"""{"alg":"RS256","jku":"{{a.Recorder.Url("/jwks")}}","kid":"{{a.Attacker.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("jku to a listening port, signed by the attacker under the trusted kid", a => Sign(a.Attacker, $$"""{"alg":"RS256","jku":"{{a.Recorder.Url("/jwks")}}","kid":"{{a.Rsa.KeyId}}"}""", a.GenuinePayload)),
        UnknownKey("x5u to a listening port, signed by the attacker under its own kid", a => Sign(a.Attacker, $$"""{"alg":"RS256","kid":"{{a.Attacker.KeyId}}","x5u":"{{a.Recorder.Url("/cert.pem")}}"}""", a.GenuinePayload)),
        BadSignature("x5u to a listening port, no kid, signed by the attacker", a => Sign(a.Attacker, $$"""{"alg":"RS256","x5u":"{{a.Recorder.Url("/cert.pem")}}"}""", a.GenuinePayload)),
        BadSignature("embedded jwk of the attacker, no kid, signed by the attacker", a => Sign(a.Attacker, $$"""{"alg":"RS256","jwk":{{a.AttackerJwk()}}}""", a.GenuinePayload)),
        UnknownKey("embedded jwk of the attacker with its kid, signed by the attacker", a => Sign(a.Attacker, $$"""{"alg":"RS256","jwk":{{a.AttackerJwk()}},"kid":"{{a.Attacker.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("embedded jwk of the attacker under the trusted kid", a => Sign(a.Attacker, $$"""{"alg":"RS256","jwk":{{a.AttackerJwk()}},"kid":"{{a.Rsa.KeyId}}"}""", a.GenuinePayload)),
        BadSignature("x5c with the attacker's self-signed certificate, no kid", a => Sign(a.Attacker, $$"""{"alg":"RS256","x5c":["{{a.AttackerCertificate}}"]}""", a.GenuinePayload)),

        // Unknown kid, with the real signature: an unknown kid never falls back to trying every key.
        UnknownKey("unknown kid: a random string", a => a.SignWithHeader("""{"alg":"RS256","kid":"2a1b8f0c"}""")),
        UnknownKey("unknown kid: the trusted kid in lower case", a => a.SignWithHeader($$"""{"alg":"RS256","kid":"{{a.Rsa.KeyId.ToLowerInvariant()}}"}""")),
        UnknownKey("unknown kid: the trusted kid with a trailing space", a => a.SignWithHeader($$"""{"alg":"RS256","kid":"{{a.Rsa.KeyId}} "}""")),
        UnknownKey("unknown kid: the trusted kid with a Cyrillic look-alike letter", a => a.SignWithHeader($$"""{"alg":"RS256","kid":"{{ReplaceFirst(a.Rsa.KeyId, 'T', '\u0422')}}"}""")),
        UnknownKey("unknown kid: the key's RFC 7638 thumbprint instead of the Kubernetes key id", a => a.SignWithHeader($$"""{"alg":"RS256","kid":"{{Thumbprint(a)}}"}""")),

        // Unicode look-alikes in iss: not this authority's issuer, so not recognised.
        NotRecognized("look-alike iss: a Cyrillic е in issuer", a => a.WithIssuer("https://issu\u0435r.example.com")),
        NotRecognized("look-alike iss: a fullwidth h in https", a => a.WithIssuer("\uFF48ttps://issuer.example.com")),
        NotRecognized("look-alike iss: a dotless ı in issuer", a => a.WithIssuer("https://\u0131ssuer.example.com")),
        NotRecognized("look-alike iss: a zero-width space before .com", a => a.WithIssuer("https://issuer.example\u200B.com")),
        NotRecognized("look-alike iss: a trailing NUL", a => a.WithIssuer("https://issuer.example.com\0")),

        // Unicode look-alikes in aud: refused with the audience text, rendered as Go's %q renders it.
        Rejected("look-alike aud: a Cyrillic а", TokenVerificationFailure.InvalidAudience, AudienceError("\"\u0430pi\""), a => a.WithAudience("\u0430pi")),
        Rejected("look-alike aud: fullwidth letters", TokenVerificationFailure.InvalidAudience, AudienceError("\"\uFF41\uFF50\uFF49\""), a => a.WithAudience("\uFF41\uFF50\uFF49")),
        Rejected("look-alike aud: a combining accent (a mark, printed as is)", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\u0301\""), a => a.WithAudience("api\u0301")),
        Rejected("look-alike aud: a zero-width space (escaped)", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\\u200b\""), a => a.WithAudience("api\u200B")),
        Rejected("look-alike aud: a right-to-left override (escaped)", TokenVerificationFailure.InvalidAudience, AudienceError("\"\\u202eipa\""), a => a.WithAudience("\u202Eipa")),
        Rejected("look-alike aud: a trailing NUL (escaped)", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\\x00\""), a => a.WithAudience("api\0")),
        Rejected("look-alike aud: upper case", TokenVerificationFailure.InvalidAudience, AudienceError("\"API\""), a => a.WithAudience("API")),

        // ECDSA signatures in DER form (JWS wants R‖S) or otherwise malformed.
        BadSignature("ECDSA DER: ES256 by the real P-256 key", a => a.SignEcdsaDer(a.Es256)),
        BadSignature("ECDSA DER: ES384 by the real P-384 key", a => a.SignEcdsaDer(a.Es384)),
        BadSignature("ECDSA DER: ES512 by the real P-521 key", a => a.SignEcdsaDer(a.Es512)),
        BadSignature("ECDSA: R‖S with a leading zero byte (65 bytes)", a => Part(Sign(a.Es256, Header(a.Es256), a.GenuinePayload), 2, p => Encode([0, .. Base64Url.DecodeFromChars(p)]))),
        BadSignature("ECDSA: R‖S all zeros", a => Part(Sign(a.Es256, Header(a.Es256), a.GenuinePayload), 2, _ => Encode(new byte[64]))),

        // A key that left the ring.
        UnknownKey("retired key: a token it signed through a TokenRequest", a => a.RetiredToken),
        BadSignature("retired key: its signature with the kid removed, so every key is tried", a => Sign(a.Retired, """{"alg":"RS256"}""", a.GenuinePayload)),

        // The genuine signature on other bytes.
        BadSignature("signature truncated by one byte", a => Part(a.GenuineToken, 2, p => Encode(Base64Url.DecodeFromChars(p)[..^1]))),
        BadSignature("signature with one byte appended", a => Part(a.GenuineToken, 2, p => Encode([.. Base64Url.DecodeFromChars(p), 0]))),
        BadSignature("the genuine signature on a payload naming another service account", a => $"{a.Parts[0]}.{Encode(a.PayloadWithServiceAccountName("admin"))}.{a.Parts[2]}"),
        BadSignature("the genuine signature on a payload with exp a year later", a => $"{a.Parts[0]}.{Encode(a.PayloadWith("exp", (a.IssuedAt + (366 * 86400)).ToString(System.Globalization.CultureInfo.InvariantCulture)))}.{a.Parts[2]}"),

        // Conformance with go-jose and Go's %q (found by this corpus, fixed in ClaimsSerializer, GoQuote and the not-found texts).
        // go-jose's JSON decoder refuses each (Audience.UnmarshalJSON gets
        // "null" and refuses it; a number cannot go into the string fields Subject and ID).
        BadClaims("aud null, verified for the API audiences (read here as a legacy token, and authenticated)", a => a.SignPayload(a.PayloadWith("aud", "null"))) with { Audiences = [] },
        BadClaims("sub as a number", a => a.SignPayload(a.PayloadWith("sub", "42"))),
        BadClaims("jti as a number", a => a.SignPayload(a.PayloadWith("jti", "42"))),

        // Go's %q escapes every rune that is not printable (unicode.IsPrint: letters, marks, numbers, punctuation,
        // symbols and the ASCII space): look-alikes show in the error text.
        Rejected("look-alike aud, a no-break space", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\\u00a0\""), a => a.WithAudience("api\u00A0")),
        Rejected("look-alike aud, an ideographic space", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\\u3000\""), a => a.WithAudience("api\u3000")),
        Rejected("look-alike aud, a private-use rune", TokenVerificationFailure.InvalidAudience, AudienceError("\"api\\ue000\""), a => a.WithAudience("api\uE000")),

        // The API server's NotFound message quotes the name with %q.
        Rejected("a service account name with a quote and a line break", TokenVerificationFailure.ServiceAccountNotFound, "serviceaccounts \"a\\\"b\\nc\" not found",
            a => a.SignPayload(a.PayloadWithServiceAccountName("a\"b\nc"))),
    ];


    public static HostileTokenCase Find(string name) =>
        Cases.SingleOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no corpus case named '{name}'", nameof(name));

    private static HostileTokenCase NotRecognized(string name, Func<CorpusAuthority, string> build) =>
        new(name, build, TokenVerificationOutcome.NotRecognized, TokenVerificationFailure.NotRecognized, null);

    private static HostileTokenCase Rejected(string name, TokenVerificationFailure failure, string error, Func<CorpusAuthority, string> build) =>
        new(name, build, TokenVerificationOutcome.Rejected, failure, error);

    private static HostileTokenCase BadSignature(string name, Func<CorpusAuthority, string> build) =>
        Rejected(name, TokenVerificationFailure.InvalidSignature, CryptoError, build);

    private static HostileTokenCase UnknownKey(string name, Func<CorpusAuthority, string> build) =>
        Rejected(name, TokenVerificationFailure.InvalidSignature, NoKeysFound, build);

    private static HostileTokenCase BadClaims(string name, Func<CorpusAuthority, string> build) =>
        Rejected(name, TokenVerificationFailure.InvalidSignature, UndecodableClaims, build);

    private static string AudienceError(string quotedAudience) =>
        $"token audiences [{quotedAudience}] is invalid for the target audiences [\"{Audience}\"]";

    private static byte[] RandomBytes(int seed, int count)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>The token with part <paramref name="index"/> rewritten; throws when the rewrite changes nothing.</summary>
    private static string Part(string token, int index, Func<string, string> rewrite)
    {
        var parts = token.Split('.');
        var rewritten = rewrite(parts[index]);
        if (rewritten == parts[index])
        {
            throw new InvalidOperationException($"the rewrite left part {index} unchanged: {parts[index]}");
        }

        parts[index] = rewritten;
        return string.Join('.', parts);
    }

    private static string Pad(string part) => part.Length % 4 == 0 ? part : part + new string('=', 4 - (part.Length % 4));

    private static string StandardAlphabet(string part) => part.Replace('-', '+').Replace('_', '/');

    private static string NonCanonical(string part)
    {
        // Unused low bits in the last character: flipping the lowest keeps the decoded bytes the same.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return part.Length % 4 is 2 or 3 ? part[..^1] + Alphabet[Alphabet.IndexOf(part[^1], StringComparison.Ordinal) ^ 1] : part;
    }

    private static string ReplaceFirst(string text, char from, char to)
    {
        var i = text.IndexOf(from, StringComparison.Ordinal);
        return i < 0 ? throw new InvalidOperationException($"no '{from}' in {text}") : text[..i] + to + text[(i + 1)..];
    }

    private static string Pkcs1PublicPem(CorpusAuthority a)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(a.Rsa.ExportPublicKeyPem());
        return rsa.ExportRSAPublicKeyPem();
    }

    private static string Thumbprint(CorpusAuthority a)
    {
        using var jwk = JsonDocument.Parse(a.PublishedJwk(a.Rsa.KeyId));
        var canonical = $$"""{"e":"{{jwk.RootElement.GetProperty("e").GetString()}}","kty":"RSA","n":"{{jwk.RootElement.GetProperty("n").GetString()}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
