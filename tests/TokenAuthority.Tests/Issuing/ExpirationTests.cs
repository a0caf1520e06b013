using System.Text.Json;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>Spec §1.7: the cap with its warning, and the one-year extension of a pod's auto-injected 3607 s token.</summary>
public class ExpirationTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Iat = Now.ToUnixTimeSeconds();
    private static readonly BoundObjectReference PodRef = new() { Kind = "Pod", ApiVersion = "v1", Name = "web-0" };
    private static readonly BoundObjectReference SecretRef = new() { Kind = "Secret", ApiVersion = "v1", Name = "s1" };

    private static TestAuthority NewAuthority(Action<TokenAuthorityOptions>? configure = null)
    {
        var authority = new TestAuthority(o =>
        {
            o.ApiAudiences.Add("https://kubernetes.default.svc");
            o.ApiAudiences.Add("api");
            configure?.Invoke(o);
        });
        authority.Store.AddPod("default", "web-0", "builder", null, "pod-uid");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        return authority;
    }

    [Theory]
    [InlineData(7200L, 10000L, 7200L, "requested expiration of 10000 seconds shortened to 7200 seconds")]
    [InlineData(3600L, 4294967296L, 3600L, "requested expiration of 4294967296 seconds shortened to 3600 seconds")]
    [InlineData(7200L, 7200L, 7200L, null)]
    [InlineData(7200L, 600L, 600L, null)]
    [InlineData(0L, 4294967296L, 4294967296L, null)]
    public void LongRequestsAreCappedWithAWarning(long max, long requested, long granted, string? warning)
    {
        using var authority = NewAuthority(o => o.MaxExpirationSeconds = max);
        var result = authority.Create(new TokenRequestSpec { ExpirationSeconds = requested });

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(warning is null ? [] : [warning], result.Warnings);
        Assert.Equal(granted, result.Response.Spec.ExpirationSeconds);
        Assert.Equal(Now.AddSeconds(granted), result.Response.Status.ExpirationTimestamp);
        Assert.Equal(Iat + granted, Claim(result.Response, "exp"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("api")]
    [InlineData("api,https://kubernetes.default.svc")]
    public void APodsAutoInjectedTokenIsExtendedToAYearWithWarnAfter(string? audienceList)
    {
        var audiences = audienceList?.Split(',');
        using var authority = NewAuthority();
        var result = authority.Create(new TokenRequestSpec { Audiences = audiences, ExpirationSeconds = 3607, BoundObjectRef = PodRef });

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(Iat + 31_536_000, Claim(result.Response, "exp"));
        Assert.Equal(Iat + 3607, KubernetesClaim(result.Response).GetProperty("warnafter").GetInt64());

        // The response reports the requested lifetime, not the extended one: clients refresh on it.
        Assert.Equal(3607, result.Response.Spec.ExpirationSeconds);
        Assert.Equal(Now.AddSeconds(3607), result.Response.Status.ExpirationTimestamp);
        Assert.Empty(result.Warnings);
    }

    public static TheoryData<string, long, BoundObjectReference?, string[]?, Action<TokenAuthorityOptions>?, long> NotExtended => new()
    {
        { "unbound", 3607, null, null, null, 3607 },
        { "secret-bound", 3607, SecretRef, null, null, 3607 },
        { "pod-bound, 3600 s", 3600, PodRef, null, null, 3600 },
        { "pod-bound, 3608 s", 3608, PodRef, null, null, 3608 },
        { "pod-bound, a foreign audience", 3607, PodRef, ["vault"], null, 3607 },
        { "pod-bound, API and foreign audiences", 3607, PodRef, ["api", "vault"], null, 3607 },
        { "pod-bound, extension switched off", 3607, PodRef, null, o => o.ExtendExpiration = false, 3607 },
        { "pod-bound, capped below 3607", 3607, PodRef, null, o => o.MaxExpirationSeconds = 3600, 3600 },
    };

    [Theory]
    [MemberData(nameof(NotExtended))]
    public void OtherTokensAreNotExtended(string situation, long requested, BoundObjectReference? boundRef, string[]? audiences, Action<TokenAuthorityOptions>? configure, long lifetime)
    {
        using var authority = NewAuthority(configure);
        var result = authority.Create(new TokenRequestSpec { Audiences = audiences, ExpirationSeconds = requested, BoundObjectRef = boundRef });

        Assert.True(result.Succeeded, situation);
        Assert.Equal(Iat + lifetime, Claim(result.Response, "exp"));
        Assert.False(KubernetesClaim(result.Response).TryGetProperty("warnafter", out _), situation);
        Assert.Equal(lifetime, result.Response.Spec.ExpirationSeconds);
    }

    [Fact]
    public void AnExtendedTokenKeepsVerifyingAfterWarnAfterButIsReportedStale()
    {
        using var authority = NewAuthority();
        var token = authority.Create(new TokenRequestSpec { ExpirationSeconds = 3607, BoundObjectRef = PodRef }).Response!.Status.Token;

        authority.Clock.Advance(TimeSpan.FromSeconds(3607));
        var atWarnAfter = authority.Verify(token);
        authority.Clock.Advance(TimeSpan.FromDays(300));
        var late = authority.Verify(token);

        Assert.True(atWarnAfter.Succeeded);
        Assert.False(atWarnAfter.IsStale);
        Assert.True(late.Succeeded);
        Assert.True(late.IsStale);
    }

    private static long Claim(TokenRequest response, string name) => TokenForge.Payload(response.Status.Token).GetProperty(name).GetInt64();

    private static JsonElement KubernetesClaim(TokenRequest response) => TokenForge.Payload(response.Status.Token).GetProperty("kubernetes.io");
}
