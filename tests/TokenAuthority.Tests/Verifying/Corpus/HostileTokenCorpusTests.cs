using System.Net.Sockets;
using System.Text.Json;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>The hostile token corpus against the verifier: each case refused for its own reason, with the Kubernetes text.</summary>
public sealed class HostileTokenCorpusTests(CorpusAuthority corpus) : IClassFixture<CorpusAuthority>
{
    public static TheoryData<string> CaseNames => new(HostileTokenCorpus.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EveryHostileTokenIsRefusedForItsExpectedReason(string name) => await AssertRefusedAsExpected(HostileTokenCorpus.Find(name));

    [Fact]
    public void TheCorpusCoversEveryItemOfTheIssue()
    {
        string[] items =
        [
            "random bytes", "part count", "base64: the payload with its standard padding", "base64: the payload in the standard alphabet",
            "base64: non-canonical", "size:", "deep JSON", "huge JSON", "duplicate aud", "duplicate exp", "duplicate kid", "duplicate alg",
            "claim type: exp as a string", "claim type: exp a float", "claim type: exp negative", "claim type: exp beyond 64 bits",
            "claim type: exp 1e400", "alg none", "HS256 keyed with the RSA public key as SubjectPublicKeyInfo PEM",
            "HS256 keyed with the RSA public key as DER", "HS256 keyed with the RSA public key as the published JWK", "alg mismatch", "crit",
            "jku", "x5u", "embedded jwk", "unknown kid", "look-alike iss", "look-alike aud", "ECDSA DER", "retired key",
        ];
        var names = HostileTokenCorpus.Cases.Select(c => c.Name).ToArray();

        Assert.True(names.Length >= 40, $"{names.Length} cases");
        var all = names;
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(items, item => Assert.Contains(names, n => n.StartsWith(item, StringComparison.Ordinal)));
    }

    /// <summary>What the cases start from verifies, so each case is refused for its hostile part and nothing else.</summary>
    [Fact]
    public void TheTokensTheCasesAreMadeFromAuthenticate()
    {
        var starts = new Dictionary<string, string>
        {
            ["the issued token"] = corpus.GenuineToken,
            ["the base64 probe"] = corpus.ProbeToken,
            ["the longest token within 16 KiB"] = corpus.LongestWithinTheLimit,
            ["the payload signed again under the issuer's header"] = corpus.SignPayload(corpus.GenuinePayload),
            ["ES256"] = CorpusAuthority.Sign(corpus.Es256, CorpusAuthority.Header(corpus.Es256), corpus.GenuinePayload),
            ["ES384"] = CorpusAuthority.Sign(corpus.Es384, CorpusAuthority.Header(corpus.Es384), corpus.GenuinePayload),
            ["ES512"] = CorpusAuthority.Sign(corpus.Es512, CorpusAuthority.Header(corpus.Es512), corpus.GenuinePayload),
            ["a claim nested to the parser's 64 levels"] = corpus.SignPayload(corpus.PayloadWith("x", new string('[', 63) + new string(']', 63))),
            ["exp a float in the future"] = corpus.SignPayload(corpus.PayloadWith("exp", $"{corpus.IssuedAt + 3600}.5")),
            ["exp null (absent, as in go-jose)"] = corpus.SignPayload(corpus.PayloadWith("exp", "null")),
            ["the retired key's payload under the current key"] = corpus.SignPayload(TokenForge.DecodePart(corpus.RetiredToken, 1)),
            ["a jku beside the real signature (ignored)"] = corpus.SignWithHeader($$"""{"alg":"RS256","jku":"{{corpus.Recorder.Url("/jwks")}}","kid":"{{corpus.Rsa.KeyId}}"}"""),
        };

        Assert.All(starts, s =>
        {
            var result = corpus.Verify(s.Value);
            Assert.True(result.Succeeded, $"{s.Key}: {result.Outcome} {result.Error}");
        });
        Assert.InRange(corpus.JustOverTheLimit.Length, CompactJws.MaxLength + 1, CompactJws.MaxLength + 2);
        var probe = corpus.ProbeToken.Split('.')[1];
        Assert.Contains('-', probe);
        Assert.Contains('_', probe);
        Assert.NotEqual(0, probe.Length % 4);
    }

    [Fact]
    public async Task NoUrlInAHeaderIsEverFetched()
    {
        var fetching = HostileTokenCorpus.Cases.Where(c => c.Name.StartsWith("jku", StringComparison.Ordinal) || c.Name.StartsWith("x5u", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(fetching);
        foreach (var c in fetching)
        {
            var token = c.Build(corpus);
            Assert.Contains(corpus.Recorder.Url("/"), TokenForge.DecodePart(token, 0).Replace("\\/", "/", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.False(corpus.Verify(token).Succeeded, c.Name);
        }

        // A genuinely signed token naming a jku authenticates; its jku is not read either.
        Assert.True(corpus.Verify(corpus.SignWithHeader($$"""{"alg":"RS256","jku":"{{corpus.Recorder.Url("/jwks")}}","kid":"{{corpus.Rsa.KeyId}}"}""")).Succeeded);

        // A fetch could be started in the background: give it time to arrive.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, corpus.Recorder.Connections);

        // The recorder does see a connection when one is made.
        using var control = new ConnectionRecorder();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", control.Port);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (control.Connections == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, control.Connections);
    }

    [Fact]
    public void ATokenOfARetiredKeyVerifiedWhileTheKeyWasInTheRingAndNotAfter()
    {
        // The ring during the rotation: the current signing key plus the retiring key as a verification key.
        using var pem = new TempPemFile(corpus.Retired.ExportPublicKeyPem());
        using var during = new TestAuthority(o => o.VerificationKeyFiles.Add(pem.Path));
        _ = during.Metadata.Current;
        var kid = JsonDocument.Parse(TokenForge.DecodePart(corpus.RetiredToken, 0)).RootElement.GetProperty("kid").GetString();

        var before = during.Verify(corpus.RetiredToken, CorpusAuthority.Audience);
        var after = corpus.Verify(corpus.RetiredToken);

        Assert.Equal(corpus.Retired.KeyId, kid);
        Assert.True(before.Succeeded, before.Error);
        Assert.DoesNotContain(corpus.Authority.Metadata.Current.KeySetJson, corpus.Retired.KeyId, StringComparison.Ordinal);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, after.Failure);
        Assert.Equal(HostileTokenCorpus.NoKeysFound, after.Error);
    }

    private async Task AssertRefusedAsExpected(HostileTokenCase c)
    {
        var token = c.Build(corpus);
        if (!c.Name.StartsWith("size:", StringComparison.Ordinal))
        {
            // Refused for what the case is about, not for its length.
            Assert.InRange(token.Length, 0, CompactJws.MaxLength);
        }

        // A result, never an exception, and soon (a generous bound: the machine is shared).
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await corpus.Authority.Verifier.VerifyAsync(token, c.Audiences ?? [CorpusAuthority.Audience]);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 2_000);

        Assert.Equal((c.Outcome, c.Failure, c.Error), (result.Outcome, result.Failure, result.Error));
        Assert.False(result.Succeeded);
        Assert.Null(result.User);
        Assert.Equal(c.Outcome == TokenVerificationOutcome.NotRecognized ? "invalid bearer token" : $"[invalid bearer token, {c.Error}]", result.ReviewError);
        if (c.Failure is TokenVerificationFailure.InvalidSignature or TokenVerificationFailure.NotRecognized)
        {
            // Nothing of an unverified or undecodable payload is handed out.
            Assert.Null(result.Claims);
        }
    }
}
