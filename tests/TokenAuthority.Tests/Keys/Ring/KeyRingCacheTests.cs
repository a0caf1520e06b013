using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>The verification cache follows the ring: every key set change empties it at once, and a key gone from the ring verifies nothing from the cache.</summary>
public sealed class KeyRingCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARotationEmptiesTheCacheAtOnceAndTheRetiredKeysTokensStillVerify()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, o => { o.MaxExpirationSeconds = 7200; o.ExtendExpiration = false; });
        var cache = authority.Services.GetRequiredService<TokenVerificationCache>();
        var token = authority.Issue(7200);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(1, cache.Count);

        // Nothing changes within the hour: the entry stays.
        clock.Advance(TimeSpan.FromMinutes(30));
        authority.Refresh();
        Assert.Equal(1, cache.Count);

        // The successor activates: a new key set, and the cache is empty before anyone verifies again.
        clock.Advance(TimeSpan.FromMinutes(31));
        authority.Refresh();
        Assert.Equal(0, cache.Count);

        // The retired key is still published: its token verifies (and is cached again).
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task AKeyTakenOutOfTheRingRefusesItsCachedTokenAtTheNextCall()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, o => { o.MaxExpirationSeconds = 7200; o.ExtendExpiration = false; });
        var cache = authority.Services.GetRequiredService<TokenVerificationCache>();
        var token = authority.Issue(7200);
        var kid = RingAuthority.Peek(token).Kid;

        // A rotation: the first key is retired, still published; its token verifies and is cached.
        clock.Advance(TimeSpan.FromMinutes(61));
        authority.Refresh();
        Assert.NotEqual(kid, authority.Keys.Current.SigningKey.KeyId);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(1, cache.Count);

        // The ring in the store loses that key while its token is unexpired (another instance's or an operator's
        // emergency removal); this instance's next refresh drops it and the cache with it.
        await using (await store.LockAsync(CancellationToken.None))
        {
            var records = (await store.LoadRecordsAsync(CancellationToken.None))!;
            await store.SaveAsync([.. records.Where(r => r.KeyId != kid)], [], CancellationToken.None);
        }

        authority.Refresh();
        Assert.Equal(0, cache.Count);
        Assert.DoesNotContain(kid, authority.JwksKeyIds());
        var refused = authority.Verify(token);
        Assert.False(refused.Succeeded);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, refused.Failure);
        Assert.Equal(0, cache.Count);
    }
}
