using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Diagnostics;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Diagnostics;

/// <summary>Each instrument of the <c>TokenAuthority</c> meter records what docs/observability.md says it does.</summary>
public sealed class TokenAuthorityMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static MetricCollector<T> Collect<T>(TestAuthority authority, string instrument)
        where T : struct =>
        new(authority.Services.GetRequiredService<IMeterFactory>(), TokenAuthorityMetrics.MeterName, instrument);

    private static string? Tag(CollectedMeasurement<long> m, string name) => m.Tags.TryGetValue(name, out var v) ? v as string : null;

    private static string? Tag(CollectedMeasurement<double> m, string name) => m.Tags.TryGetValue(name, out var v) ? v as string : null;

    [Fact]
    public void An_issued_token_is_counted_and_its_duration_recorded()
    {
        using var authority = new TestAuthority();
        using var issued = Collect<long>(authority, "tokenauthority.tokens.issued");
        using var duration = Collect<double>(authority, "tokenauthority.issue.duration");
        using var refused = Collect<long>(authority, "tokenauthority.token_requests.refused");

        var result = authority.Create(new TokenRequestSpec { Audiences = ["api"] });

        Assert.True(result.Succeeded);
        Assert.Equal(1, Assert.Single(issued.GetMeasurementSnapshot()).Value);
        var recorded = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal("success", Tag(recorded, "tokenauthority.result"));
        Assert.Equal("s", duration.Instrument!.Unit);
        Assert.Equal("{token}", issued.Instrument!.Unit);
        Assert.Empty(refused.GetMeasurementSnapshot());
    }

    [Fact]
    public void A_refused_token_request_is_counted_by_its_kubernetes_reason()
    {
        using var authority = new TestAuthority();
        using var issued = Collect<long>(authority, "tokenauthority.tokens.issued");
        using var refused = Collect<long>(authority, "tokenauthority.token_requests.refused");
        using var duration = Collect<double>(authority, "tokenauthority.issue.duration");

        var result = authority.Create(new TokenRequest { Spec = new TokenRequestSpec() }, "default", "nobody");

        Assert.False(result.Succeeded);
        Assert.Equal("NotFound", Tag(Assert.Single(refused.GetMeasurementSnapshot()), "error.type"));
        Assert.Equal("failure", Tag(Assert.Single(duration.GetMeasurementSnapshot()), "tokenauthority.result"));
        Assert.Empty(issued.GetMeasurementSnapshot());
    }

    [Fact]
    public void Verifications_are_counted_by_result_and_error_type()
    {
        using var authority = new TestAuthority(start: Now);
        using var verified = Collect<long>(authority, "tokenauthority.tokens.verified");
        using var duration = Collect<double>(authority, "tokenauthority.verify.duration");
        var token = authority.Create(new TokenRequestSpec { Audiences = ["api"] }).Response!.Status.Token;

        Assert.True(authority.Verify(token, "api").Succeeded);
        Assert.False(authority.Verify(token, "other").Succeeded);
        authority.Clock.Advance(TimeSpan.FromHours(2));
        Assert.False(authority.Verify(token, "api").Succeeded);
        Assert.False(authority.Verify("not-a-token", "api").Succeeded);

        var snapshot = verified.GetMeasurementSnapshot();
        Assert.Equal(
            ["success:", "failure:invalid_audience", "failure:expired", "failure:not_recognized"],
            snapshot.Select(m => Tag(m, "tokenauthority.result") + ":" + Tag(m, "error.type")));
        Assert.Equal(["success", "failure", "failure", "failure"], duration.GetMeasurementSnapshot().Select(m => Tag(m, "tokenauthority.result")));
    }

    [Fact]
    public void A_resolver_that_fails_makes_the_result_an_error_and_its_lookup_is_timed_by_kind()
    {
        var resolver = (FaultyResolver?)null;
        using var authority = new TestAuthority(resolver: store => resolver = new FaultyResolver(store));
        using var verified = Collect<long>(authority, "tokenauthority.tokens.verified");
        using var lookups = Collect<double>(authority, "tokenauthority.resolver.lookup.duration");
        var token = authority.Create(new TokenRequestSpec { Audiences = ["api"] }).Response!.Status.Token;
        Assert.Equal(["ServiceAccount:found"], lookups.GetMeasurementSnapshot().Select(m => Tag(m, "tokenauthority.object.kind") + ":" + Tag(m, "tokenauthority.result")));
        lookups.Clear();

        resolver!.Throwing.Add("ServiceAccount");
        Assert.False(authority.Verify(token, "api").Succeeded);

        var m = Assert.Single(verified.GetMeasurementSnapshot());
        Assert.Equal("error", Tag(m, "tokenauthority.result"));
        Assert.Equal("resolver_unavailable", Tag(m, "error.type"));
        Assert.Equal(["ServiceAccount:error"], lookups.GetMeasurementSnapshot().Select(l => Tag(l, "tokenauthority.object.kind") + ":" + Tag(l, "tokenauthority.result")));
    }

    [Fact]
    public void A_missing_service_account_is_a_not_found_lookup()
    {
        using var authority = new TestAuthority();
        using var lookups = Collect<double>(authority, "tokenauthority.resolver.lookup.duration");

        authority.Create(new TokenRequest { Spec = new TokenRequestSpec() }, "default", "nobody");

        Assert.Equal("not_found", Tag(Assert.Single(lookups.GetMeasurementSnapshot()), "tokenauthority.result"));
    }

    [Fact]
    public void Extended_tokens_are_counted_and_stale_ones_apart()
    {
        using var authority = new TestAuthority(o => o.ApiAudiences.Add("api"), start: Now);
        authority.Store.AddPod("default", "web-0", "builder", null, "pod-uid");
        using var extended = Collect<long>(authority, "tokenauthority.tokens.extended");
        using var stale = Collect<long>(authority, "tokenauthority.tokens.stale");
        var token = authority.Create(new TokenRequestSpec
        {
            ExpirationSeconds = 3607,
            BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
        }).Response!.Status.Token;

        Assert.True(authority.Verify(token, "api").Succeeded);
        Assert.Empty(stale.GetMeasurementSnapshot());
        authority.Clock.Advance(TimeSpan.FromSeconds(3608));
        Assert.True(authority.Verify(token, "api").IsStale);

        Assert.Equal(2, extended.GetMeasurementSnapshot().Count);
        Assert.Single(stale.GetMeasurementSnapshot());
    }

    [Fact]
    public void A_legacy_token_without_audiences_is_counted()
    {
        using var authority = new TestAuthority(start: Now);
        using var legacy = Collect<long>(authority, "tokenauthority.tokens.legacy");

        Assert.True(authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now) with { Audiences = [] })).Succeeded);
        Assert.True(authority.Verify(TokenForge.Sign(TokenForge.RsaKey(), TokenForge.Claims(Now, 3600, "api")), "api").Succeeded);

        Assert.Single(legacy.GetMeasurementSnapshot());
    }

    [Fact]
    public void The_key_gauge_reports_the_verification_keys()
    {
        using var pem = new TempPemFile(KubernetesTestKeys.EcdsaPrivateKey);
        using var authority = new TestAuthority(o => o.VerificationKeyFiles.Add(pem.Path));
        using var keys = Collect<int>(authority, "tokenauthority.keys.verification");
        _ = authority.TokenIssuer; // the instruments exist from the authority's first use on

        keys.RecordObservableInstruments();

        Assert.Equal(2, keys.LastMeasurement!.Value);
    }

    [Fact]
    public void Cache_lookups_of_the_verification_and_bound_object_caches_are_counted_by_cache_and_result()
    {
        using var authority = new TestAuthority(start: Now);
        using var lookups = Collect<long>(authority, "tokenauthority.cache.lookups");
        var token = authority.Create(new TokenRequestSpec { Audiences = ["api"] }).Response!.Status.Token;

        Assert.True(authority.Verify(token, "api").Succeeded);
        Assert.True(authority.Verify(token, "api").Succeeded);

        // First call: both caches miss (the service account is then cached); second call: both hit.
        Assert.Equal(
            ["verification:miss", "bound_object:miss", "verification:hit", "bound_object:hit"],
            lookups.GetMeasurementSnapshot().Select(m => Tag(m, "tokenauthority.cache") + ":" + Tag(m, "tokenauthority.cache.result")));
    }
}
