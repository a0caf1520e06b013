using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>
/// Revoking a key: it leaves the ring, the JWKS and the verification set at once, so its tokens are refused; the
/// signing key's revocation activates the successor now, and another instance on the same store follows at its refresh.
/// </summary>
public sealed class KeyRingRevocationTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static void Capped(TokenAuthorityOptions o)
    {
        o.MaxExpirationSeconds = 3600;
        o.ExtendExpiration = false;
    }

    [Fact]
    public async Task Revoking_the_signing_key_refuses_its_tokens_at_once_and_the_successor_signs_from_now_on()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        var compromised = authority.Keys.Current.SigningKey.KeyId; // the ring is made now, with its successor
        clock.Advance(TimeSpan.FromMinutes(20)); // the successor has been published for longer than max-age + refresh
        var successor = authority.Ring.GetKeys().Single(k => k.State == KeyRingKeyState.Published).KeyId;
        var token = authority.Issue(3600);
        Assert.True(authority.Verify(token).Succeeded);

        var revocation = await authority.Ring.RevokeAsync(compromised);

        Assert.NotNull(revocation);
        Assert.Equal(compromised, revocation.KeyId);
        Assert.Equal(successor, revocation.SigningKeyId);
        Assert.True(revocation.Message.Contains("so every verifier's cached JWKS has it", StringComparison.Ordinal), revocation.Message);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, authority.Verify(token).Failure);
        Assert.DoesNotContain(compromised, authority.JwksKeyIds());
        Assert.DoesNotContain(authority.Ring.GetKeys(), k => k.KeyId == compromised);
        Assert.Equal(successor, authority.Keys.Current.SigningKey.KeyId);
        Assert.True(authority.Verify(authority.Issue(600)).Succeeded);
        Assert.Equal(successor, RingAuthority.Peek(authority.Issue(600)).Kid);

        // A new successor is prepared, published now and signing only after the lead.
        var prepared = Assert.Single(authority.Ring.GetKeys(), k => k.State == KeyRingKeyState.Published);
        Assert.True(prepared.Activates >= clock.GetUtcNow().AddMinutes(11).AddSeconds(-1), prepared.ToString());
    }

    [Fact]
    public async Task A_successor_published_too_recently_still_signs_at_once_and_the_answer_says_what_that_costs()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        var compromised = authority.Keys.Current.SigningKey.KeyId;

        var revocation = (await authority.Ring.RevokeAsync(compromised))!;

        Assert.NotEqual(compromised, authority.Keys.Current.SigningKey.KeyId);
        Assert.Equal(revocation.SigningKeyId, authority.Keys.Current.SigningKey.KeyId);
        Assert.Contains("a verifier that cached the JWKS before then refuses its tokens until it fetches the JWKS again", revocation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_a_retired_key_refuses_its_tokens_and_leaves_the_signing_key_alone()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        var old = authority.Keys.Current.SigningKey.KeyId;
        var oldToken = authority.Issue(3600);
        clock.Advance(TimeSpan.FromMinutes(61)); // the successor signs; the first key is retired, still verifying
        var signing = authority.Keys.Current.SigningKey.KeyId;
        Assert.NotEqual(old, signing);
        Assert.True(authority.Verify(oldToken).Succeeded);

        var revocation = (await authority.Ring.RevokeAsync(old))!;

        Assert.Contains("it was retired", revocation.Message, StringComparison.Ordinal);
        Assert.Equal(signing, revocation.SigningKeyId);
        Assert.Equal(signing, authority.Keys.Current.SigningKey.KeyId);
        Assert.Equal(TokenVerificationFailure.InvalidSignature, authority.Verify(oldToken).Failure);
        Assert.DoesNotContain(old, authority.JwksKeyIds());
    }

    [Fact]
    public async Task Revoking_the_prepared_successor_prepares_another_and_an_unknown_key_is_null()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        var signing = authority.Keys.Current.SigningKey.KeyId;
        var successor = authority.Ring.GetKeys().Single(k => k.State == KeyRingKeyState.Published).KeyId;

        var revocation = (await authority.Ring.RevokeAsync(successor))!;

        Assert.Contains("the prepared successor, which never signed", revocation.Message, StringComparison.Ordinal);
        Assert.Equal(signing, authority.Keys.Current.SigningKey.KeyId);
        var next = Assert.Single(authority.Ring.GetKeys(), k => k.State == KeyRingKeyState.Published);
        Assert.NotEqual(successor, next.KeyId);
        Assert.DoesNotContain(successor, authority.JwksKeyIds());

        Assert.Null(await authority.Ring.RevokeAsync("no-such-kid"));
    }

    [Fact]
    public async Task Another_instance_on_the_same_store_drops_the_revoked_key_at_its_next_refresh()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var first = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        using var second = new RingAuthority(clock, store, RingAuthority.ShortTimeline, Capped);
        var compromised = first.Keys.Current.SigningKey.KeyId;
        Assert.Equal(compromised, second.Keys.Current.SigningKey.KeyId);
        var token = second.Issue(3600);
        Assert.True(first.Verify(token).Succeeded);

        _ = await first.Ring.RevokeAsync(compromised);
        second.Refresh();

        Assert.Equal(TokenVerificationFailure.InvalidSignature, second.Verify(token).Failure);
        Assert.Equal(first.Keys.Current.SigningKey.KeyId, second.Keys.Current.SigningKey.KeyId);
        Assert.DoesNotContain(compromised, second.JwksKeyIds());
    }
}
