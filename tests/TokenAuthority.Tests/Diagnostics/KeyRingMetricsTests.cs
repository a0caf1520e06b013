using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Diagnostics;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Tests.Keys.Ring;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Diagnostics;

/// <summary>The key ring's instruments: keys by state, the signing key's age, and rotations, on a fake clock.</summary>
public sealed class KeyRingMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static void Timeline(KeyRingOptions o)
    {
        o.JwksMaxAge = TimeSpan.FromMinutes(10);
        o.RefreshInterval = TimeSpan.FromMinutes(1);
        o.RotationInterval = TimeSpan.FromHours(1);
        o.Algorithm = "ES256";
    }

    private static MetricCollector<T> Collect<T>(IServiceProvider services, string instrument)
        where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), TokenAuthorityMetrics.MeterName, instrument);

    /// <summary>The last observation of the keys gauge, as "published:N active:N retired:N".</summary>
    private static string States(MetricCollector<int> keys)
    {
        keys.Clear();
        keys.RecordObservableInstruments();
        return string.Join(" ", keys.GetMeasurementSnapshot().Select(m => $"{m.Tags["tokenauthority.key.state"]}:{m.Value}"));
    }

    private static double Age(MetricCollector<double> age)
    {
        age.Clear();
        age.RecordObservableInstruments();
        return Assert.Single(age.GetMeasurementSnapshot()).Value;
    }

    [Fact]
    public void The_ring_reports_its_keys_by_state_the_age_of_the_signing_key_and_each_rotation()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, Timeline, o => { o.MaxExpirationSeconds = 3600; o.ExtendExpiration = false; });
        using var keys = Collect<int>(authority.Services, "tokenauthority.keys");
        using var age = Collect<double>(authority.Services, "tokenauthority.key.active.age");
        using var rotations = Collect<long>(authority.Services, "tokenauthority.key.rotations");
        _ = authority.Keys.Current;

        // A new ring: the first key signs, its successor is published.
        Assert.Equal("published:1 active:1 retired:0", States(keys));
        Assert.Equal(0, Age(age));
        Assert.Equal(("{key}", "s", "{rotation}"), (keys.Instrument!.Unit, age.Instrument!.Unit, rotations.Instrument!.Unit));

        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1800, Age(age));
        Assert.Empty(rotations.GetMeasurementSnapshot());

        // The scheduled rotation: the successor signs, the first key is retired, a new successor is published.
        clock.Advance(TimeSpan.FromMinutes(31));
        authority.Refresh();
        Assert.Equal("published:1 active:1 retired:1", States(keys));
        Assert.Equal(60, Age(age));
        Assert.Equal(1, Assert.Single(rotations.GetMeasurementSnapshot()).Value);

        // An on-demand rotation once the successor has been published long enough: counted too, the age starts again.
        clock.Advance(TimeSpan.FromMinutes(15));
        var rotation = authority.Rotate();
        Assert.True(rotation.Immediate, rotation.Message);
        Assert.Equal(0, Age(age));
        Assert.Equal(2, rotations.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal("published:1 active:1 retired:2", States(keys));

        // The first key leaves once its tokens have expired (13:00 + 3600 s + leeway and refresh, 14:02); that is no rotation.
        clock.Advance(TimeSpan.FromMinutes(50));
        authority.Refresh();
        Assert.Equal("published:1 active:1 retired:1", States(keys));
        Assert.Equal(2, rotations.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void Without_a_key_ring_the_ring_instruments_report_nothing()
    {
        using var authority = new TestAuthority();
        using var keys = Collect<int>(authority.Services, "tokenauthority.keys");
        using var age = Collect<double>(authority.Services, "tokenauthority.key.active.age");
        _ = authority.Services.GetRequiredService<TokenAuthority.Keys.ITokenKeySetProvider>().Current;

        keys.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Empty(keys.GetMeasurementSnapshot());
        Assert.Empty(age.GetMeasurementSnapshot());
    }
}
