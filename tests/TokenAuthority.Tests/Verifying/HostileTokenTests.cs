using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenAuthority.Claims;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>Hostile header and payload JSON, signed or not: the verifier answers with a result, never an exception.</summary>
public class HostileTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static string Payload => ClaimsSerializer.Serialize(TokenForge.Claims(Now, 3600, "api"));

    private static string Header => TokenForge.Header(TokenForge.RsaKey());

    private static TokenVerificationResult Verify(string token)
    {
        using var authority = new TestAuthority();
        return authority.Verify(token, "api");
    }

    public static TheoryData<string, string, string> LoneSurrogates() => new()
    {
        { "alg", """{"alg":"\ud800"}""", Payload },
        { "kid", """{"alg":"RS256","kid":"\ud800"}""", Payload },
        { "header name", """{"alg":"RS256","\udc00":1}""", Payload },
        { "iss", Header, """{"iss":"\udc00"}""" },
        { "sub, with a genuine iss", Header, Payload.Replace("\"sub\":\"", "\"sub\":\"\\ud800", StringComparison.Ordinal) },
        { "a claim name", Header, Payload.Replace("\"sub\":", "\"\\ud800\":1,\"sub\":", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void AnEscapedLoneSurrogateIsNotRecognisedNotACrash(string where, string header, string payload)
    {
        var unsigned = Verify(TokenForge.Encode(header) + "." + TokenForge.Encode(payload) + ".c2ln");
        var signed = Verify(TokenForge.SignRaw(TokenForge.RsaKey(), header, payload));

        Assert.True(unsigned.Outcome == TokenVerificationOutcome.NotRecognized, where);
        Assert.True(signed.Outcome == TokenVerificationOutcome.NotRecognized, where);
    }

    private static readonly string[] Snippets =
    [
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "1e400", "-1e400", new string('9', 400), "null", "\"1\"", "[]", "{}",
        new string('[', 70) + new string(']', 70), "\"\u00ff\"", "\"\\u0000\"", "1.5", "-0", "true",
    ];

    /// <summary>A JSON value in the header or payload replaced by a hostile one, then signed with the trusted key.</summary>
    public sealed record JsonMutation(bool InHeader, int Value, string Snippet)
    {
        public string Apply(string json)
        {
            // The n-th ':' starts a value; replace the value up to the next ',' or '}' (a nested object is cut short on purpose).
            var colons = json.Select((c, i) => (c, i)).Where(t => t.c == ':').Select(t => t.i).ToArray();
            var start = colons[Value % colons.Length] + 1;
            var end = json.IndexOfAny([',', '}'], start);
            return json[..start] + Snippet + json[end..];
        }
    }

    public static class MutationArbs
    {
        public static Arbitrary<JsonMutation> JsonMutation() =>
            (from inHeader in Gen.Elements(true, false, false)
             from value in Gen.Choose(0, 1000)
             from snippet in Gen.Elements(Snippets)
             select new JsonMutation(inHeader, value, snippet)).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(MutationArbs)], MaxTest = 300)]
    public bool VerifyingAMutatedTokenNeverThrows(JsonMutation mutation)
    {
        var header = mutation.InHeader ? mutation.Apply(Header) : Header;
        var payload = mutation.InHeader ? Payload : mutation.Apply(Payload);
        _ = Verify(TokenForge.SignRaw(TokenForge.RsaKey(), header, payload));
        _ = Verify(TokenForge.Encode(header) + "." + TokenForge.Encode(payload) + ".c2ln");
        return true;
    }

    public static TheoryData<string, string, string> DuplicateMembers() => new()
    {
        { "two aud (merged before)", Header, Payload.Replace("\"aud\":[\"api\"]", "\"aud\":[\"other\"],\"aud\":[\"api\"]", StringComparison.Ordinal) },
        { "two iss", Header, Payload.Replace("\"iss\":", "\"iss\":\"https://evil.example.com\",\"iss\":", StringComparison.Ordinal) },
        { "iss and an escaped iss", Header, Payload.Replace("\"iss\":", "\"\\u0069ss\":\"https://evil.example.com\",\"iss\":", StringComparison.Ordinal) },
        { "two exp", Header, Payload.Replace("\"exp\":", "\"exp\":1,\"exp\":", StringComparison.Ordinal) },
        { "two namespaces in the private claim", Header, Payload.Replace("\"namespace\":", "\"namespace\":\"kube-system\",\"namespace\":", StringComparison.Ordinal) },
        { "two alg", """{"alg":"none","alg":"RS256","kid":"KID"}""".Replace("KID", TokenForge.RsaKey().KeyId, StringComparison.Ordinal), Payload },
        { "two kid", """{"alg":"RS256","kid":"other","kid":"KID"}""".Replace("KID", TokenForge.RsaKey().KeyId, StringComparison.Ordinal), Payload },
    };

    [Theory]
    [MemberData(nameof(DuplicateMembers))]
    public void ASignedTokenWithADuplicateMemberIsNotRecognised(string situation, string header, string payload)
    {
        var result = Verify(TokenForge.SignRaw(TokenForge.RsaKey(), header, payload));

        Assert.False(result.Succeeded, situation);
        Assert.Equal(TokenVerificationOutcome.NotRecognized, result.Outcome);
    }

    [Fact]
    public void ASignedTokenLongerThan16KiBIsNotRecognised()
    {
        var key = TokenForge.RsaKey();
        string WithFiller(int n) => TokenForge.SignRaw(key, Header, Payload.Replace("\"sub\":", "\"x\":\"" + new string('a', n) + "\",\"sub\":", StringComparison.Ordinal));
        var fits = WithFiller(11_000);
        var tooLong = WithFiller(13_000);
        Assert.InRange(fits.Length, 14_000, 16 * 1024);
        Assert.True(tooLong.Length > 16 * 1024);

        Assert.True(Verify(fits).Succeeded);
        Assert.Equal(TokenVerificationOutcome.NotRecognized, Verify(tooLong).Outcome);
    }

    [Theory]
    [InlineData("exp", "\"1784898000\"")]
    [InlineData("exp", "1e400")]
    [InlineData("exp", "-1e400")]
    [InlineData("exp", "true")]
    [InlineData("exp", "[1784898000]")]
    [InlineData("nbf", "\"0\"")]
    [InlineData("iat", "{}")]
    public void ASignedTimeClaimThatIsNotANumberIsRejectedNotIgnored(string claim, string value)
    {
        var payload = System.Text.RegularExpressions.Regex.Replace(Payload, $"\"{claim}\":\\d+", $"\"{claim}\":{value}");
        Assert.NotEqual(Payload, payload);

        var result = Verify(TokenForge.SignRaw(TokenForge.RsaKey(), Header, payload));

        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void AWarnAfterThatIsNotANumberIsRejectedNotIgnored()
    {
        var payload = Payload.Replace("\"namespace\":", "\"warnafter\":\"soon\",\"namespace\":", StringComparison.Ordinal);

        Assert.Equal(TokenVerificationOutcome.Rejected, Verify(TokenForge.SignRaw(TokenForge.RsaKey(), Header, payload)).Outcome);
    }

    [Fact]
    public void ANullExpIsAbsentAsInGoJose()
    {
        var payload = System.Text.RegularExpressions.Regex.Replace(Payload, "\"exp\":\\d+", "\"exp\":null");

        Assert.True(Verify(TokenForge.SignRaw(TokenForge.RsaKey(), Header, payload)).Succeeded);
    }

    [Fact]
    public async Task AudienceMatchingIsLinearInTheTwoLists()
    {
        // A TokenReview may name ~100k audiences within its 1 MiB body; a token may carry ~1000 (800 here). Matching
        // each requested audience against the token's list took their product (about 1.4 s for 500k requested
        // here); a set takes ~150 ms. The 700 ms bound leaves about 2x either way for a loaded machine.
        using var authority = new TestAuthority();
        var tokenAudiences = Enumerable.Range(0, 800).Select(i => $"aud-{i:D5}").ToArray();
        var token = authority.Create(new TokenAuthority.Model.TokenRequestSpec { Audiences = tokenAudiences }).Response!.Status.Token;
        var requested = Enumerable.Range(0, 500_000).Select(i => $"req-{i:D6}").Append(tokenAudiences[^1]).ToArray();
        _ = await authority.Verifier.VerifyAsync(token, requested);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await authority.Verifier.VerifyAsync(token, requested);

        Assert.True(result.Succeeded);
        Assert.True(stopwatch.ElapsedMilliseconds < 700, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ANullRequestedAudienceIsTheEmptyAudienceNotACrash()
    {
        using var authority = new TestAuthority();
        var token = TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api"));
        authority.Clock.SetUtcNow(Now);

        var refused = await authority.Verifier.VerifyAsync(token, [null!]);
        var accepted = await authority.Verifier.VerifyAsync(token, [null!, "api"]);

        Assert.Equal("token audiences [\"api\"] is invalid for the target audiences [\"\"]", refused.Error);
        Assert.True(accepted.Succeeded);
        Assert.Equal(["api"], accepted.Audiences);
    }
}
