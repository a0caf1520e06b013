using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Claims;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;
using Xunit.Abstractions;

namespace TokenAuthority.Tests.Verifying;

/// <summary>
/// The verifier accepts exactly what <see cref="JsonWebTokenHandler"/> accepts under the same keys, issuer,
/// audience and clock, over more than 100,000 generated tokens and mutations, except for the differences
/// Kubernetes requires (each named in <see cref="Difference"/> with its reason). Each token is verified twice
/// by ours: the second answer (from the verification cache when it is on) must equal the first.
/// </summary>
public class DifferentialVerificationTests(ITestOutputHelper output)
{
    private const int Target = 100_000;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Where ours and JsonWebTokenHandler may answer differently, and why.</summary>
    private enum Difference
    {
        /// <summary>None: both answers agree.</summary>
        Agree,

        /// <summary>
        /// A JSON member named twice (header or payload) is refused: readers disagree on which value wins, so
        /// an <c>iss</c>, <c>aud</c> or <c>alg</c> given twice could be read one way here and another by a peer.
        /// JsonWebTokenHandler takes one of them.
        /// </summary>
        DuplicateMember,

        /// <summary>
        /// A part that is not canonical unpadded base64url (padding, spare bits) is not read as a token: no two
        /// strings may stand for the same token (the verification cache keys on the exact string).
        /// </summary>
        NonCanonicalBase64,

        /// <summary>
        /// A <c>kid</c> that names no verification key finds no key (Kubernetes' jwt.go selects keys by kid);
        /// JsonWebTokenHandler falls back to trying every key.
        /// </summary>
        KidNamesNoKey,

        /// <summary><c>iat</c> more than 60 s ahead is refused by Kubernetes (go-jose's ValidateWithLeeway); JsonWebTokenHandler ignores iat.</summary>
        IssuedInFuture,

        /// <summary>
        /// The Kubernetes private claims (<c>kubernetes.io</c> with namespace and service account, a matching
        /// <c>sub</c>) are required and checked (claims.go); a token without them is no service-account token.
        /// </summary>
        KubernetesClaims,

        /// <summary><c>crit</c> or <c>b64</c> in the header would change how the signature is read: go-jose refuses them.</summary>
        CriticalHeader,

        /// <summary>
        /// A header that is not the key's one algorithm never verifies here (the key fixes it, as in Kubernetes);
        /// JsonWebTokenHandler accepts any algorithm the key supports.
        /// </summary>
        AlgorithmFixedByKey,

        /// <summary>A token without <c>exp</c>: go-jose does not require one; JsonWebTokenHandler does by default.</summary>
        NoExpiry,

        /// <summary>Unexplained: the test fails.</summary>
        Unexplained,
    }

    [Fact]
    public async Task TheVerifierAcceptsExactlyWhatJsonWebTokenHandlerAcceptsSaveKubernetesRules()
    {
        // JsonWebTokenHandler reads the real clock, so the authority's fake clock starts at the real now.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var ecPublic = new TempPemFile(KubernetesTestKeys.EcdsaPublicKey);
        using var authority = new TestAuthority(o => o.VerificationKeyFiles.Add(ecPublic.Path), start: now);
        using var rsa = TokenForge.RsaKey();
        using var ec = TokenForge.EcdsaKey();
        using var otherRsa = TokenKey.GenerateRsa();
        using var otherEc = TokenKey.GenerateECDsa();
        var verifier = authority.Verifier;

        var handler = new JsonWebTokenHandler();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = TestAuthority.Issuer,
            ValidAudience = "api",
            IssuerSigningKeys = new JsonWebKeySet(authority.Metadata.Current.KeySetJson).GetSigningKeys(),
            ClockSkew = TimeSpan.FromSeconds(TokenVerifier.LeewaySeconds),
        };
        var knownKids = new HashSet<string>(authority.Services.GetService<ITokenKeySetProvider>()!.Current.VerificationKeys.Select(k => k.KeyId), StringComparer.Ordinal);

        var random = new Random(20261201);
        var tallies = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var differences = new SortedDictionary<Difference, int>();
        var failures = new List<string>();
        var count = 0;

        async Task Check(string category, string token)
        {
            count++;
            var ours = await verifier.VerifyAsync(token, ["api"]);
            var again = await verifier.VerifyAsync(token, ["api"]);
            if (again.Outcome != ours.Outcome || again.Failure != ours.Failure || again.Error != ours.Error)
            {
                failures.Add($"{category}: second answer {again.Outcome}/{again.Failure} differs from the first {ours.Outcome}/{ours.Failure}: {token}");
            }

            var peer = await handler.ValidateTokenAsync(token, parameters);
            var tally = tallies.TryGetValue(category, out var t) ? t : tallies[category] = new int[3];
            tally[ours.Succeeded ? 0 : 1]++;
            if (ours.Succeeded == peer.IsValid)
            {
                return;
            }

            tally[2]++;
            var why = Explain(token, ours, peer.IsValid, knownKids);
            differences[why] = differences.GetValueOrDefault(why) + 1;
            if (why == Difference.Unexplained && failures.Count < 20)
            {
                failures.Add($"{category}: ours {ours.Outcome}/{ours.Failure} ({ours.Error}), JsonWebTokenHandler {(peer.IsValid ? "valid" : peer.Exception?.GetType().Name)}: {token}");
            }
        }

        var iat = now.ToUnixTimeSeconds();
        string Payload(long issued, long? nbf, long? exp, string aud = "[\"api\"]", string? extra = null, string iss = TestAuthority.Issuer, string sa = "builder") =>
            "{" + $"\"aud\":{aud},"
            + (exp is { } e ? $"\"exp\":{e}," : string.Empty)
            + $"\"iat\":{issued},\"iss\":\"{iss}\",\"jti\":\"{Guid.NewGuid()}\","
            + "\"kubernetes.io\":{\"namespace\":\"default\",\"serviceaccount\":{\"name\":\"" + sa + "\",\"uid\":\"sa-uid-1\"}},"
            + (nbf is { } n ? $"\"nbf\":{n}," : string.Empty)
            + (extra ?? string.Empty)
            + "\"sub\":\"system:serviceaccount:default:" + sa + "\"}";

        var payloads = new List<(string Category, string Json)>
        {
            ("valid", Payload(iat, iat, iat + 3600)),
            ("valid", Payload(iat - 600, iat - 600, iat + 600)),
            ("valid", Payload(iat, iat, iat + 3600, "[\"other\",\"api\"]")),
            ("valid", Payload(iat, iat, iat + 3600, "\"api\"")),
            ("valid", Payload(iat, null, iat + 3600)),
            ("payload-edit", Payload(iat, iat, iat + 3600, extra: "\"extra\":{\"a\":[1,2,{\"b\":null}]},")),
            ("payload-edit", Payload(iat, iat, iat + 3600, "[\"other\"]")),
            ("payload-edit", Payload(iat, iat, iat + 3600, "[]")),
            ("payload-edit", Payload(iat, iat, iat + 3600, iss: "https://evil.example.com")),
            ("payload-edit", Payload(iat, iat, null)),
            ("payload-edit", Payload(iat, iat, iat + 3600, sa: "someone-else")),
            ("payload-edit", "{\"iss\":\"" + TestAuthority.Issuer + "\",\"aud\":\"api\",\"exp\":" + (iat + 3600) + ",\"sub\":\"x\"}"),
            ("payload-edit", Payload(iat, iat, iat + 3600).Replace("\"exp\":" + (iat + 3600), "\"exp\":\"" + (iat + 3600) + "\"", StringComparison.Ordinal)),
            ("payload-edit", Payload(iat, iat, iat + 3600).Replace("\"exp\":" + (iat + 3600), "\"exp\":" + (iat + 3600) + ".5", StringComparison.Ordinal)),
            ("times", Payload(iat - 7200, iat - 7200, iat - 3600)),
            ("times", Payload(iat - 1000, iat - 1000, iat - 200)),
            ("times", Payload(iat, iat + 3600, iat + 7200)),
            ("times", Payload(iat, iat + 300, iat + 7200)),
            ("times", Payload(iat + 600, iat, iat + 7200)),
            ("times", Payload(iat, iat, iat + 30)),
            ("whitespace", " " + Payload(iat, iat, iat + 3600).Replace(",", " ,\n\t", StringComparison.Ordinal) + " "),
            ("duplicate-members", Payload(iat, iat, iat + 3600, extra: "\"iss\":\"https://evil.example.com\",")),
            ("duplicate-members", Payload(iat, iat, iat + 3600, extra: "\"exp\":" + (iat + 99999) + ",")),
            ("duplicate-members", Payload(iat, iat, iat + 3600, extra: "\"aud\":[\"api\"],")),
        };

        string Header(TokenKey key, string? alg = null, string? kid = null, string extra = "") =>
            "{\"alg\":\"" + (alg ?? key.Algorithm) + "\"" + (kid is null ? string.Empty : ",\"kid\":\"" + kid + "\"") + extra + "}";

        var headers = new List<(string Category, Func<TokenKey, string> Make)>
        {
            ("valid", k => Header(k, kid: k.KeyId)),
            ("header-edit", k => Header(k)),
            ("header-edit", k => Header(k, kid: k.KeyId, extra: ",\"typ\":\"JWT\"")),
            ("header-edit", k => "{\"kid\":\"" + k.KeyId + "\",\"alg\":\"" + k.Algorithm + "\"}"),
            ("header-edit", k => Header(k, kid: k.KeyId, extra: ",\"crit\":[\"exp\"]")),
            ("header-edit", k => Header(k, kid: k.KeyId, extra: ",\"b64\":false")),
            ("alg-swap", k => Header(k, alg: k.Algorithm == "RS256" ? "ES256" : "RS256", kid: k.KeyId)),
            ("alg-swap", k => Header(k, alg: "none", kid: k.KeyId)),
            ("alg-swap", k => Header(k, alg: "HS256", kid: k.KeyId)),
            ("alg-swap", k => Header(k, alg: k.Algorithm == "RS256" ? "RS384" : "ES384", kid: k.KeyId)),
            ("kid-swap", k => Header(k, kid: "unknown-kid")),
            ("kid-swap", k => Header(k, kid: k == rsa ? ec.KeyId : rsa.KeyId)),
            ("kid-swap", k => Header(k, kid: string.Empty)),
            ("whitespace", k => " {\n\"alg\" : \"" + k.Algorithm + "\" ,\t\"kid\":\"" + k.KeyId + "\" } "),
            ("duplicate-members", k => Header(k, kid: k.KeyId, extra: ",\"alg\":\"none\"")),
            ("duplicate-members", k => Header(k, kid: k.KeyId, extra: ",\"kid\":\"" + k.KeyId + "\"")),
        };

        // Signed variants: every header with the valid payloads, every payload with the valid header; under
        // our two keys (mostly RSA, whose verification is cheap) and keys nobody trusts.
        var signed = new List<(string Category, string Token)>();
        foreach (var (key, signer) in new[] { (rsa, rsa), (ec, ec) })
        {
            foreach (var (hc, make) in headers)
            {
                foreach (var (pc, json) in payloads.Where(p => p.Category == "valid"))
                {
                    signed.Add((hc == "valid" ? pc : hc, TokenForge.SignRaw(signer, make(key), json)));
                }
            }

            foreach (var (pc, json) in payloads)
            {
                signed.Add((pc, TokenForge.SignRaw(signer, Header(key, kid: key.KeyId), json)));
            }
        }

        foreach (var other in new[] { otherRsa, otherEc })
        {
            foreach (var (_, json) in payloads.Where(p => p.Category == "valid"))
            {
                signed.Add(("other-key", TokenForge.SignRaw(other, Header(other, kid: other.KeyId), json)));
                signed.Add(("other-key", TokenForge.SignRaw(other, Header(other, kid: other == otherRsa ? rsa.KeyId : ec.KeyId), json)));
                signed.Add(("other-key", TokenForge.SignRaw(other, Header(other), json)));
            }
        }

        // ES256 signatures are malleable: (r, n - s) is another valid signature of the same input.
        foreach (var (category, token) in signed.Where(s => s.Category == "valid").ToArray())
        {
            if (TokenForge.DecodePart(token, 0).Contains("ES256", StringComparison.Ordinal))
            {
                signed.Add(("ecdsa-malleated", MalleateEcdsa(token)));
            }
        }

        foreach (var (category, token) in signed)
        {
            await Check(category, token);
        }

        // Cheap mutations of the signed variants until the target is reached; RSA-signed ones four times as often.
        var rsaSigned = signed.Where(s => !TokenForge.DecodePart(s.Token, 0).Contains("ES", StringComparison.Ordinal)).ToArray();
        var ecSigned = signed.Where(s => TokenForge.DecodePart(s.Token, 0).Contains("ES", StringComparison.Ordinal)).ToArray();
        while (count < Target)
        {
            var pool = random.Next(5) == 0 ? ecSigned : rsaSigned;
            var (_, token) = pool[random.Next(pool.Length)];
            var (category, mutated) = Mutate(random, token);
            await Check(category, mutated);
        }

        output.WriteLine($"{count} tokens compared with JsonWebTokenHandler (each verified twice by ours).");
        output.WriteLine($"{"category",-22} {"ours accepts",12} {"ours refuses",12} {"answers differ",14}");
        foreach (var (category, t) in tallies)
        {
            output.WriteLine($"{category,-22} {t[0],12} {t[1],12} {t[2],14}");
        }

        foreach (var (difference, n) in differences)
        {
            output.WriteLine($"difference {difference}: {n}");
        }

        Assert.True(count >= Target);
        Assert.True(tallies["valid"][0] > 0, "no valid token was accepted: the comparison would be hollow");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static (string Category, string Token) Mutate(Random random, string token)
    {
        var parts = token.Split('.');
        switch (random.Next(9))
        {
            case 0:
            case 1:
                return ("byte-flip", new TokenMutation(random.Next(token.Length), "AZaz09-_.=+/ !"[random.Next(14)]).Apply(token));
            case 2:
                return ("truncation", token[..random.Next(token.Length)]);
            case 3:
                var part = random.Next(3);
                parts[part] += random.Next(2) == 0 ? "=" : "==";
                return ("padding", string.Join('.', parts));
            case 4:
                return ("whitespace", random.Next(3) switch { 0 => " " + token, 1 => token + "\n", _ => token.Insert(random.Next(token.Length), " ") });
            case 5:
                // The header swapped for another algorithm or key id, the signature kept.
                var header = TokenForge.DecodePart(token, 0);
                var swapped = random.Next(2) == 0
                    ? header.Replace("RS256", "ES256", StringComparison.Ordinal).Replace("\"ES256\",\"kid\"", "\"RS256\",\"kid\"", StringComparison.Ordinal)
                    : header.Replace("\"kid\":\"", "\"kid\":\"x", StringComparison.Ordinal);
                return ("alg-kid-swap-unsigned", TokenForge.Encode(swapped) + "." + parts[1] + "." + parts[2]);
            case 6:
                // A payload edit without re-signing.
                var payload = TokenForge.DecodePart(token, 1);
                var edited = random.Next(3) switch
                {
                    0 => payload.Replace("\"api\"", "\"apj\"", StringComparison.Ordinal),
                    1 => payload.Replace("builder", "builder2", StringComparison.Ordinal),
                    _ => payload.Insert(1, "\"iss\":\"x\","),
                };
                return ("payload-edit-unsigned", parts[0] + "." + TokenForge.Encode(edited) + "." + parts[2]);
            case 7:
                // The signature of another token, or none.
                return ("signature-swap", parts[0] + "." + parts[1] + "." + (random.Next(2) == 0 ? string.Empty : parts[2][..^4] + "AAAA"));
            default:
                return ("unchanged", token);
        }
    }

    private static Difference Explain(string token, TokenVerificationResult ours, bool peerAccepts, HashSet<string> knownKids)
    {
        var parts = token.Split('.');
        var header = parts.Length == 3 ? Decode(parts[0]) : null;
        var payload = parts.Length == 3 ? Decode(parts[1]) : null;
        if (!peerAccepts)
        {
            // Ours accepts what the peer refuses: only a token without exp, which Kubernetes allows.
            return payload is not null && Parse(payload, Strict) is { } p && !p.RootElement.TryGetProperty("exp", out _)
                ? Difference.NoExpiry
                : Difference.Unexplained;
        }

        if (parts.Length != 3)
        {
            return Difference.Unexplained;
        }

        if (parts.Any(p => !IsCanonical(p)))
        {
            return Difference.NonCanonicalBase64;
        }

        if ((header is not null && Parse(header, Strict) is null && Parse(header, default) is not null)
            || (payload is not null && Parse(payload, Strict) is null && Parse(payload, default) is not null))
        {
            return Difference.DuplicateMember;
        }

        using var h = header is null ? null : Parse(header, Strict);
        if (h is not null)
        {
            var root = h.RootElement;
            if (root.TryGetProperty("crit", out _) || root.TryGetProperty("b64", out _))
            {
                return Difference.CriticalHeader;
            }

            if (ours.Error == TokenVerificationErrors.NoKeysFound && root.TryGetProperty("kid", out var kid) && !knownKids.Contains(kid.GetString() ?? string.Empty))
            {
                return Difference.KidNamesNoKey;
            }

            if (ours.Error == TokenVerificationErrors.CryptoError && root.TryGetProperty("alg", out var alg) && alg.GetString() is not ("RS256" or "ES256"))
            {
                return Difference.AlgorithmFixedByKey;
            }
        }

        return ours.Failure switch
        {
            TokenVerificationFailure.IssuedInFuture => Difference.IssuedInFuture,
            TokenVerificationFailure.ServiceAccountNotFound or TokenVerificationFailure.ServiceAccountUidMismatch or TokenVerificationFailure.UnknownBinding
                => Difference.KubernetesClaims,
            TokenVerificationFailure.InvalidSignature when ours.Error == TokenVerificationErrors.UndecodableClaims => Difference.KubernetesClaims,
            _ => Difference.Unexplained,
        };
    }

    private static string MalleateEcdsa(string token)
    {
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var flipped = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var output = new byte[64];
        signature.AsSpan(0, 32).CopyTo(output);
        flipped.CopyTo(output.AsSpan(64 - flipped.Length));
        return parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(output);
    }

    private static bool IsCanonical(string part)
    {
        try
        {
            return !part.Contains('=', StringComparison.Ordinal) && Base64Url.EncodeToString(Base64Url.DecodeFromChars(part)) == part;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Decode(string part)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part.TrimEnd('=')));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static JsonDocument? Parse(string json, JsonDocumentOptions options)
    {
        try
        {
            return JsonDocument.Parse(json, options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
