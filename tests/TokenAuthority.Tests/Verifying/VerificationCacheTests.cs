using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>
/// The verification cache's safety, as laws: a token seen before is still refused the very next call after its
/// bound object is deleted (with invalidation), after its exp, after its key leaves the set; two tokens a byte apart
/// never share an entry; no failure is remembered; memory stays bounded under a million distinct tokens.
/// </summary>
public class VerificationCacheTests
{
    [Fact]
    public void ATokenSeenBeforeIsServedFromTheCacheWithTheSameAnswer()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();

        var first = authority.Verify(token);
        var second = authority.Verify(token);

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(1, authority.Cache.Count);
        Assert.Equal(first.Identity, second.Identity);
        Assert.Equal(first.Audiences, second.Audiences);
    }

    [Fact]
    public void ADeletedBoundObjectIsRefusedOnTheVeryNextCallOnceInvalidated()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);
        Assert.True(authority.Verify(token).Succeeded);

        authority.Resolver.Hidden.Add(CachingAuthority.Pod);
        authority.Invalidator.Invalidate(CachingAuthority.Pod);

        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
    }

    [Fact]
    public void WithoutASignalTheTimeToLiveIsTheRevocationWindow()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);

        authority.Resolver.Hidden.Add(CachingAuthority.Pod);
        authority.Clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.True(authority.Verify(token).Succeeded, "within the TTL the remembered pod is used");

        authority.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
    }

    [Fact]
    public void TheInMemoryStoreSignalsItsOwnChanges()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);

        authority.Store.AddServiceAccount("default", "builder", "sa-uid-2");
        Assert.Equal(TokenVerificationFailure.ServiceAccountUidMismatch, authority.Verify(token).Failure);

        authority.Store.AddServiceAccount("default", "builder", "sa-uid-1");
        Assert.True(authority.Verify(token).Succeeded);
        authority.Store.Remove(CachingAuthority.Pod);
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
    }

    [Fact]
    public void ATokenIsRefusedAndDroppedAtItsExpiry()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound(lifetime: 600);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(1, authority.Cache.Count);

        // go-jose's leeway: still valid at exp + 60 s, expired just after.
        authority.Clock.Advance(TimeSpan.FromSeconds(600 + 60));
        Assert.True(authority.Verify(token).Succeeded);
        authority.Clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(TokenVerificationFailure.Expired, authority.Verify(token).Failure);
        Assert.Equal(0, authority.Cache.Count);
    }

    [Fact]
    public void NotBeforeIsCheckedOnEveryCall()
    {
        using var authority = new CachingAuthority();
        var now = authority.Clock.GetUtcNow();
        var claims = TokenForge.Claims(now, 3600, "api") with { NotBefore = now.ToUnixTimeSeconds() + 600 };
        var token = TokenForge.Sign(authority.SigningKey, claims);

        Assert.Equal(TokenVerificationFailure.NotYetValid, authority.Verify(token).Failure);
        Assert.Equal(TokenVerificationFailure.NotYetValid, authority.Verify(token).Failure);
        authority.Clock.Advance(TimeSpan.FromSeconds(600 - 60));

        Assert.True(authority.Verify(token).Succeeded);
    }

    [Fact]
    public void ATokenWhoseKeyLeavesTheSetIsRefusedOnTheNextCall()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);
        using var next = TokenKey.GenerateECDsa();

        authority.Keys.Current = new TokenKeySet(next);

        var refused = authority.Verify(token);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, refused.Failure);
        Assert.Equal(TokenVerificationErrors.NoKeysFound, refused.Error);
        Assert.Equal(0, authority.Cache.Count);

        // Back in the set (another instance of the same public key): verifies, and is remembered again.
        using var publicHalf = authority.SigningKey.PublicKey();
        authority.Keys.Current = new TokenKeySet(next, [publicHalf]);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(1, authority.Cache.Count);
    }

    [Fact]
    public void AnEntryAddedUnderASetThatWasReplacedMeanwhileIsNotServed()
    {
        // Rule 2's race: a verification reads the set, checks the signature, the set changes, then it adds its entry.
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        var old = authority.Keys.Current;
        var claims = ClaimsSerializer.Read(System.Text.Encoding.UTF8.GetBytes(TokenForge.Payload(token).GetRawText()), new BoundObjectKindTable([]), out _)!;
        using var next = TokenKey.GenerateECDsa();
        authority.Keys.Current = new TokenKeySet(next);

        authority.Cache.Add(token, claims, old.VerificationKeys[0], old);

        Assert.False(authority.Cache.TryGet(token, authority.Keys.Current, out _));
        Assert.Equal(TokenVerificationFailure.InvalidSignature, authority.Verify(token).Failure);
    }

    [Fact]
    public void NoFailureIsRemembered()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        var forged = token[..(token.LastIndexOf('.') + 1)] + new string('A', 342);

        Assert.Equal(TokenVerificationFailure.InvalidSignature, authority.Verify(forged).Failure);
        Assert.Equal(0, authority.Cache.Count);

        // A failing resolver is asked again on the next call; so is one that answered "not found".
        authority.Resolver.Failing.Add(BoundObjectKinds.Pod);
        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, authority.Verify(token).Failure);
        authority.Resolver.Failing.Clear();
        authority.Resolver.Hidden.Add(CachingAuthority.Pod);
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
        authority.Resolver.Hidden.Clear();
        Assert.True(authority.Verify(token).Succeeded);
    }

    [Fact]
    public void TheCacheCanBeTurnedOff()
    {
        using var authority = new CachingAuthority(b => b.ConfigureVerificationCache(o => o.Enabled = false).ConfigureBoundObjectCache(o => o.Enabled = false));
        var token = authority.IssuePodBound();
        var before = authority.Resolver.Lookups;

        Assert.True(authority.Verify(token).Succeeded);
        Assert.True(authority.Verify(token).Succeeded);

        Assert.Equal(0, authority.Cache.Count);
        Assert.Equal(before + 4, authority.Resolver.Lookups);
    }

    [Fact]
    public async Task TheSameTokenAskedForOtherAudiencesGetsItsOwnAnswer()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        var verifier = authority.Verifier;

        Assert.True((await verifier.VerifyAsync(token, ["api"])).Succeeded);
        var other = await verifier.VerifyAsync(token, ["other"]);
        var both = await verifier.VerifyAsync(token, ["other", "api", "api"]);

        Assert.Equal(TokenVerificationFailure.InvalidAudience, other.Failure);
        Assert.Equal(["api"], both.Audiences);
        Assert.Equal(["api"], (await verifier.VerifyAsync(token, ["api"])).Audiences);
    }

    private static readonly Lazy<(CachingAuthority Cached, CachingAuthority Uncached, string Token)> Pair = new(() =>
    {
        var cached = new CachingAuthority();
        var uncached = new CachingAuthority(b => b.ConfigureVerificationCache(o => o.Enabled = false));
        return (cached, uncached, cached.IssuePodBound());
    });

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = 300)]
    public bool TwoTokensDifferingInOneByteNeverShareAnEntry(TokenMutation mutation)
    {
        var (cached, uncached, token) = Pair.Value;
        var mutated = mutation.Apply(token);
        Assert.True(cached.Verify(token).Succeeded);

        var fromCache = cached.Verify(mutated);
        var fresh = uncached.Verify(mutated);

        return fromCache.Outcome == fresh.Outcome && fromCache.Failure == fresh.Failure && fromCache.Error == fresh.Error
            && (mutated == token || !fromCache.Succeeded);
    }

    [Fact]
    public void MemoryStaysBoundedUnderAMillionDistinctTokens()
    {
        using var authority = new CachingAuthority();
        var options = new TokenVerificationCacheOptions { MaxEntries = 10_000, MaxBytes = 8L * 1024 * 1024 };
        var cache = new TokenVerificationCache(Options.Create(options), authority.Keys, authority.Clock);
        var set = authority.Keys.Current;
        var claims = TokenForge.Claims(authority.Clock.GetUtcNow(), 3600, "api");
        var padding = new string('x', 100);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 1_000_000; i++)
        {
            cache.Add(padding + i.ToString(System.Globalization.CultureInfo.InvariantCulture), claims, set.VerificationKeys[0], set);
            Assert.True(cache.Count <= options.MaxEntries, $"{cache.Count} entries after {i + 1} adds");
            Assert.True(cache.Bytes <= options.MaxBytes, $"{cache.Bytes} bytes after {i + 1} adds");
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 64L * 1024 * 1024, $"the cache holds {(after - before) / 1024 / 1024} MiB");
        Assert.True(cache.Count > options.MaxEntries / 2, $"the cache must still remember tokens, holds {cache.Count}");
    }

    [Fact]
    public void LargeTokensAreBoundedByBytes()
    {
        using var authority = new CachingAuthority();
        var options = new TokenVerificationCacheOptions { MaxEntries = 10_000, MaxBytes = 1024 * 1024 };
        var cache = new TokenVerificationCache(Options.Create(options), authority.Keys, authority.Clock);
        var set = authority.Keys.Current;
        var claims = TokenForge.Claims(authority.Clock.GetUtcNow(), 3600, "api");
        var padding = new string('x', 16 * 1024 - 8);

        for (var i = 0; i < 1000; i++)
        {
            cache.Add(padding + i.ToString(System.Globalization.CultureInfo.InvariantCulture), claims, set.VerificationKeys[0], set);
            Assert.True(cache.Bytes <= options.MaxBytes);
        }

        Assert.InRange(cache.Count, 1, 16);
    }
}
