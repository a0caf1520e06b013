using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Discovery;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>The ring's provider contract (one instance until a change, a change token on every change) and its start-up checks.</summary>
public sealed class KeyRingProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheKeySetIsOneInstanceUntilAChangeAndEveryChangeFiresTheToken()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, o => { o.MaxExpirationSeconds = 3600; o.ExtendExpiration = false; });
        var first = authority.Keys.Current;
        var token = authority.Keys.GetChangeToken();
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Same(first, authority.Keys.Current);
        Assert.False(token.HasChanged);

        // The successor activates one interval after the first key: a new set, the token fires, the documents follow.
        var jwksBefore = authority.Services.GetRequiredService<IOpenIdMetadataProvider>().Current;
        clock.Advance(TimeSpan.FromMinutes(31));
        var second = authority.Keys.Current;
        Assert.NotSame(first, second);
        Assert.True(token.HasChanged);
        Assert.NotEqual(first.SigningKey.KeyId, second.SigningKey.KeyId);
        Assert.Same(second, authority.Keys.Current);
        Assert.NotSame(jwksBefore, authority.Services.GetRequiredService<IOpenIdMetadataProvider>().Current);
        Assert.Equal("public, max-age=600", authority.Services.GetRequiredService<IOpenIdMetadataProvider>().Current.CacheControlHeader);
    }

    [Fact]
    public void RotateNowActivatesAPreparedSuccessorAtOnceOrSchedulesItAndSaysSo()
    {
        var clock = new FakeTimeProvider(Start);
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline);
        var first = authority.Keys.Current.SigningKey.KeyId;

        // Published a moment ago: it must wait for max-age + refresh (11 minutes).
        var early = authority.Rotate();
        Assert.False(early.Immediate);
        Assert.Equal(Start.AddMinutes(11), early.Activates);
        Assert.Equal(first, authority.Keys.Current.SigningKey.KeyId);
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(early.KeyId, authority.Keys.Current.SigningKey.KeyId);

        // Its successor is published when it activates; once that one has been published for eleven minutes, a rotation is immediate.
        authority.Refresh();
        clock.Advance(TimeSpan.FromMinutes(11));
        var now = authority.Rotate();
        Assert.True(now.Immediate, now.Message);
        Assert.Equal(now.KeyId, authority.Keys.Current.SigningKey.KeyId);
        Assert.Contains(authority.Ring.GetKeys(), k => k.KeyId == first && k.State == KeyRingKeyState.Retired);
    }

    [Fact]
    public void EveryTransitionIsLoggedWithKidAlgorithmAndTimesAndNoKeyMaterial()
    {
        var clock = new FakeTimeProvider(Start);
        var logs = new ListLoggerProvider();
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, RingAuthority.ShortTimeline, o => { o.MaxExpirationSeconds = 3600; o.ExtendExpiration = false; }, logs: logs);
        var first = authority.Keys.Current.SigningKey.KeyId;
        var successor = authority.Ring.GetKeys().Single(k => k.State == KeyRingKeyState.Published).KeyId;
        Assert.Contains(logs.Lines, l => l.EventId == 1100 && l.Message.Contains($"key {first} (ES256) is now Active", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.EventId == 1100 && l.Message.Contains($"key {successor} (ES256) is now Published", StringComparison.Ordinal));

        // Activation (a reader crosses it first), then removal of the first key after its retention.
        clock.Advance(TimeSpan.FromHours(1));
        _ = authority.Keys.Current;
        authority.Refresh();
        Assert.Contains(logs.Lines, l => l.EventId == 1100 && l.Message.Contains($"key {successor} (ES256) is now Active", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.EventId == 1100 && l.Message.Contains($"key {first} (ES256) is now Retired", StringComparison.Ordinal)
            && l.Message.Contains("retires 2026-07-24 13:00:00Z", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromHours(1.1));
        authority.Refresh();
        Assert.Contains(logs.Lines, l => l.EventId == 1101 && l.Message.Contains(first, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("PRIVATE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(60, 10, 1, "RotationInterval")]
    [InlineData(60, 60, 1, "RotationInterval")]
    [InlineData(0, 10, 1, "JwksMaxAge")]
    [InlineData(60, 600, 0, "RefreshInterval")]
    public void TimelineRelationsAreCheckedAtStartUpAndExplained(int maxAgeMinutes, int rotationMinutes, int refreshMinutes, string setting)
    {
        var message = Failure(o =>
        {
            o.Directory = Path.Combine(Path.GetTempPath(), "never-created-" + Guid.NewGuid().ToString("N"));
            o.JwksMaxAge = TimeSpan.FromMinutes(maxAgeMinutes);
            o.RotationInterval = TimeSpan.FromMinutes(rotationMinutes);
            o.RefreshInterval = TimeSpan.FromMinutes(refreshMinutes);
        });
        Assert.Contains("TokenAuthority:Keys:" + setting, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryAndASigningKeyTogetherAreRefused()
    {
        using var key = TokenAuthority.Keys.TokenKey.GenerateECDsa();
        var message = Failure(o => o.Directory = "keys", a => a.SigningKeyPem = key.ExportPrivateKeyPem());
        Assert.Contains("ImportKeyFile", message, StringComparison.Ordinal);
    }

    private static string Failure(Action<KeyRingOptions> ring, Action<TokenAuthorityOptions>? authority = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            authority?.Invoke(o);
        }).AddInMemoryBoundObjects();
        services.Configure(ring);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KeyRingOptions>>().Value);
        return string.Join(" | ", error.Failures);
    }
}
