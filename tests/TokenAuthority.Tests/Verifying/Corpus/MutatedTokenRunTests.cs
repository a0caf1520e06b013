using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using TokenAuthority.Binding;
using TokenAuthority.Model;
using TokenAuthority.Verifying;
using Xunit.Abstractions;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>
/// The generated half of the corpus: at least 100,000 mutations of valid issued tokens, each verified, none
/// accepted. A mutation that gives back a valid token of the pool byte for byte is not counted (FsCheck
/// discards it). On a failure FsCheck prints the mutation and the seed to replay it.
/// </summary>
public sealed class MutatedTokenRunTests(CorpusAuthority corpus, ITestOutputHelper output) : IClassFixture<CorpusAuthority>
{
    private const int Mutations = 100_000;

    [Fact]
    public void AHundredThousandMutatedTokensAreAllRefused()
    {
        var pool = Pool();
        var valid = pool.ToHashSet(StringComparer.Ordinal);
        Assert.All(pool, t => Assert.True(Verify(t).Succeeded, "the pool holds valid tokens only"));

        int verified = 0, unchanged = 0, accepted = 0;
        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var mutations =
            (from kind in Gen.Elements(Enum.GetValues<GeneratedMutationKind>())
             from token in Gen.Choose(0, pool.Length - 1)
             from other in Gen.Choose(0, pool.Length - 1)
             from part in Gen.Choose(0, 2)
             from position in Gen.Choose(0, int.MaxValue)
             from value in Gen.Choose(0, 255)
             select new GeneratedMutation(kind, token, other, part, position, value)).ToArbitrary();

        var property = Prop.ForAll(mutations, (GeneratedMutation m) =>
        {
            var mutated = m.Apply(pool);
            if (valid.Contains(mutated))
            {
                unchanged++;
                return Prop.ToProperty(true).When(false);
            }

            verified++;
            var result = Verify(mutated);
            var answer = result.Outcome == TokenVerificationOutcome.Rejected ? $"rejected: {result.Error}" : result.Outcome.ToString();
            answers[answer] = answers.GetValueOrDefault(answer) + 1;
            if (result.Succeeded)
            {
                accepted++;
            }

            return Prop.ToProperty(!result.Succeeded).Label($"accepted a mutated token: {mutated}");
        });

        // Wall time depends on who else uses the two cores; the process's CPU time says what the run costs.
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Mutations).WithMaxRejected(Mutations).WithQuietOnSuccess(true), property);
        stopwatch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        output.WriteLine($"{verified} mutated tokens verified, {accepted} accepted ({unchanged} mutations gave back a pool token and were not counted)");
        output.WriteLine($"  in {stopwatch.Elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s of CPU for the process)");
        foreach (var (answer, count) in answers)
        {
            output.WriteLine($"  {count,7}  {answer}");
        }

        Assert.Equal(0, accepted);
        Assert.True(verified >= Mutations, $"{verified} verified");
    }

    private TokenVerificationResult Verify(string token) =>
        corpus.Authority.Verifier.VerifyAsync(token, [CorpusAuthority.Audience]).AsTask().GetAwaiter().GetResult();

    /// <summary>Valid tokens of several shapes, RS256 for the most part (the cheap signature to verify).</summary>
    private string[] Pool()
    {
        var store = corpus.Authority.Store;
        store.AddNode("node-1", "node-uid-1");
        store.AddPod("default", "web-0", "builder", "node-1", "pod-uid-1");
        store.AddSecret("default", "token-secret", "secret-uid-1");
        BoundObjectReference Ref(string kind, string name) => new() { Kind = kind, ApiVersion = "v1", Name = name };
        string Issue(TokenRequestSpec spec) => corpus.Authority.Create(spec).Response?.Status.Token ?? throw new InvalidOperationException("not issued");

        return
        [
            corpus.GenuineToken,
            Issue(new TokenRequestSpec { Audiences = [CorpusAuthority.Audience, "other"], ExpirationSeconds = 7200 }),
            Issue(new TokenRequestSpec { Audiences = ["x", CorpusAuthority.Audience], BoundObjectRef = Ref(BoundObjectKinds.Pod, "web-0") }),
            Issue(new TokenRequestSpec { Audiences = [CorpusAuthority.Audience], BoundObjectRef = Ref(BoundObjectKinds.Pod, "web-0"), ExpirationSeconds = 3607 }),
            Issue(new TokenRequestSpec { Audiences = [CorpusAuthority.Audience], BoundObjectRef = Ref(BoundObjectKinds.Secret, "token-secret") }),
            Issue(new TokenRequestSpec { Audiences = [CorpusAuthority.Audience], BoundObjectRef = Ref(BoundObjectKinds.Node, "node-1"), ExpirationSeconds = 86400 }),
            Issue(new TokenRequestSpec { Audiences = [CorpusAuthority.Audience, "https://vault.example.com", "sts.amazonaws.com"] }),
            CorpusAuthority.Sign(corpus.Es256, CorpusAuthority.Header(corpus.Es256), corpus.GenuinePayload),
            CorpusAuthority.Sign(corpus.Es384, CorpusAuthority.Header(corpus.Es384), corpus.GenuinePayload),
        ];
    }
}
