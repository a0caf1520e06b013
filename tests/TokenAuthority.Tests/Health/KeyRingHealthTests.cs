using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Health;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Tests.Keys.Ring;

namespace TokenAuthority.Tests.Health;

/// <summary>The keys health check with a key ring: the next rotation prepared, the store still read, a key that signs; on a fake clock.</summary>
public sealed class KeyRingHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static RingAuthority Authority(FakeTimeProvider clock, IKeyRingStore store) =>
        new(clock, store, RingAuthority.ShortTimeline, o => { o.MaxExpirationSeconds = 3600; o.ExtendExpiration = false; });

    private static HealthCheckResult Check(RingAuthority authority) =>
        ActivatorUtilities.CreateInstance<TokenKeySetHealthCheck>(authority.Services).CheckHealthAsync(new HealthCheckContext()).GetAwaiter().GetResult();

    [Fact]
    public void A_ring_with_a_signing_key_and_a_prepared_successor_is_healthy_and_says_when_the_successor_signs()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = Authority(clock, store);
        var active = authority.Keys.Current.SigningKey.KeyId;
        var successor = authority.Ring.GetKeys().Single(k => k.State == KeyRingKeyState.Published).KeyId;

        var result = Check(authority);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.EndsWith($"key ring in-memory: key {active} signs, successor {successor} from 2026-07-24 13:00:00Z", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_that_cannot_be_re_read_for_longer_than_the_refresh_interval_is_degraded_while_the_last_good_ring_signs()
    {
        var clock = new FakeTimeProvider(Start);
        using var memory = new InMemoryKeyRingStore();
        var store = new FlakyKeyRingStore(memory);
        using var authority = Authority(clock, store);
        var active = authority.Keys.Current.SigningKey.KeyId;

        // One failed refresh within the interval: still healthy (the next one may succeed).
        store.FailReads = true;
        clock.Advance(TimeSpan.FromMinutes(1));
        authority.Refresh();
        Assert.Equal(HealthStatus.Healthy, Check(authority).Status);

        // Longer than the interval: degraded, saying since when and why; the last good ring still signs and verifies.
        clock.Advance(TimeSpan.FromSeconds(30));
        authority.Refresh();
        var degraded = Check(authority);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("key ring flaky could not be re-read since 2026-07-24 12:00:00Z (IOException), longer than the refresh interval 00:01:00; the last good ring stays in force",
            degraded.Description, StringComparison.Ordinal);
        Assert.Equal(active, authority.Keys.Current.SigningKey.KeyId);
        Assert.True(authority.Verify(authority.Issue(600)).Succeeded);

        // The store answers again: healthy at the next refresh.
        store.FailReads = false;
        authority.Refresh();
        Assert.Equal(HealthStatus.Healthy, Check(authority).Status);
    }

    [Fact]
    public void A_ring_whose_successor_could_not_be_prepared_is_degraded()
    {
        var clock = new FakeTimeProvider(Start);
        using var memory = new InMemoryKeyRingStore();
        var store = new FlakyKeyRingStore(memory);
        using var authority = Authority(clock, store);
        var successor = authority.Ring.GetKeys().Single(k => k.State == KeyRingKeyState.Published).KeyId;

        // The successor activates on schedule, but its own successor cannot be written.
        store.FailWrites = true;
        clock.Advance(TimeSpan.FromMinutes(61));
        authority.Refresh();

        var result = Check(authority);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains($"key ring flaky has no published successor to key {successor}", result.Description, StringComparison.Ordinal);
        Assert.Equal(successor, authority.Keys.Current.SigningKey.KeyId);

        store.FailWrites = false;
        authority.Refresh();
        Assert.Equal(HealthStatus.Healthy, Check(authority).Status);
    }

    [Fact]
    public void A_ring_that_cannot_be_loaded_is_unhealthy()
    {
        var clock = new FakeTimeProvider(Start);
        using var memory = new InMemoryKeyRingStore();
        var store = new FlakyKeyRingStore(memory) { FailReads = true };
        using var authority = Authority(clock, store);

        var result = Check(authority);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the token keys cannot be loaded (IOException)", result.Description);
    }

    [Fact]
    public void The_rules_on_their_own_no_active_key_is_unhealthy_and_a_successor_published_too_late_is_degraded()
    {
        var now = Start;
        var lead = TimeSpan.FromMinutes(11);
        KeyRingKey Key(string kid, KeyRingKeyState state, DateTimeOffset published, DateTimeOffset activates) =>
            new(kid, "ES256", state, published, activates, null, null);

        var none = KeyRingHealth.Evaluate(new KeyRingStatus([Key("b", KeyRingKeyState.Published, now, now.AddHours(1))], now, now, null, TimeSpan.FromMinutes(1), lead, "s"));
        Assert.Equal((HealthStatus.Unhealthy, "key ring s has no active key: nothing can be signed"), none);

        var early = KeyRingHealth.Evaluate(new KeyRingStatus(
            [Key("a", KeyRingKeyState.Active, now.AddHours(-1), now.AddHours(-1)), Key("b", KeyRingKeyState.Published, now, now.AddMinutes(10))],
            now, now, null, TimeSpan.FromMinutes(1), lead, "s"));
        Assert.Equal(HealthStatus.Degraded, early.Status);
        Assert.Equal("key ring s: successor b activates at 2026-07-24 12:10:00Z, before it has been published for 00:11:00 (the JWKS max-age plus the refresh interval)", early.Description);

        var ready = KeyRingHealth.Evaluate(new KeyRingStatus(
            [Key("a", KeyRingKeyState.Active, now.AddHours(-1), now.AddHours(-1)), Key("b", KeyRingKeyState.Published, now, now.AddMinutes(11))],
            now, now, null, TimeSpan.FromMinutes(1), lead, "s"));
        Assert.Equal(HealthStatus.Healthy, ready.Status);
    }
}
