using System.Diagnostics.Metrics;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Verifying;

namespace TokenAuthority.Diagnostics;

/// <summary>
/// The instruments of the authority on the meter <see cref="MeterName"/>, created through <see cref="IMeterFactory"/> and
/// named in .NET's conventions (as <c>aspnetcore.authentication.*</c>): dotted lowercase names, UCUM units, durations in
/// seconds as histograms. docs/observability.md lists each one with its kube-apiserver counterpart.
/// </summary>
public sealed class TokenAuthorityMetrics : ITokenAuthorityCacheObserver
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "TokenAuthority";

    internal const string ResultTag = "tokenauthority.result";
    internal const string ErrorTypeTag = "error.type";
    internal const string ObjectKindTag = "tokenauthority.object.kind";
    internal const string CacheTag = "tokenauthority.cache";
    internal const string CacheResultTag = "tokenauthority.cache.result";
    internal const string KeyStateTag = "tokenauthority.key.state";

    private static readonly KeyRingKeyState[] KeyStates = Enum.GetValues<KeyRingKeyState>();
    private static readonly string[] KeyStateNames = KeyStates.Select(s => s.ToString().ToLowerInvariant()).ToArray();

    // The bucket boundaries aspnetcore gives its short durations (MetricsConstants.ShortSecondsBucketBoundaries).
    private static readonly IReadOnlyList<double> ShortSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Tag values are computed once, so the verification hot path does no string work.
    private static readonly string[] FailureNames = Enum.GetValues<TokenVerificationFailure>().Select(SnakeCase).ToArray();

    private readonly Counter<long> _issued;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _verified;
    private readonly Counter<long> _legacy;
    private readonly Counter<long> _stale;
    private readonly Counter<long> _extended;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _rotations;
    private readonly Histogram<double> _issueDuration;
    private readonly Histogram<double> _verifyDuration;
    private readonly Histogram<double> _lookupDuration;

    /// <summary>
    /// Creates the instruments; <paramref name="keys"/> feeds the verification-key gauge (none when null), and
    /// <paramref name="ring"/> (with <paramref name="time"/>) the key-ring gauges, which report nothing while it
    /// returns null (no key ring in use).
    /// </summary>
    internal TokenAuthorityMetrics(IMeterFactory meterFactory, Func<TokenKeySet>? keys = null, Func<IKeyRing?>? ring = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSecondsBuckets };

        _issued = meter.CreateCounter<long>("tokenauthority.tokens.issued", unit: "{token}",
            description: "Tokens issued by TokenRequest.");
        _refused = meter.CreateCounter<long>("tokenauthority.token_requests.refused", unit: "{request}",
            description: "TokenRequests refused, by Kubernetes reason (error.type).");
        _verified = meter.CreateCounter<long>("tokenauthority.tokens.verified", unit: "{token}",
            description: "Token verifications, by result (success, failure, error) and failure reason (error.type).");
        _legacy = meter.CreateCounter<long>("tokenauthority.tokens.legacy", unit: "{token}",
            description: "Tokens without an audience that verified against the API audiences.");
        _stale = meter.CreateCounter<long>("tokenauthority.tokens.stale", unit: "{token}",
            description: "Extended tokens used after their warnafter time.");
        _extended = meter.CreateCounter<long>("tokenauthority.tokens.extended", unit: "{token}",
            description: "Extended tokens (with a warnafter time) used, stale or not.");
        _cacheLookups = meter.CreateCounter<long>("tokenauthority.cache.lookups", unit: "{lookup}",
            description: "Cache lookups, by cache and result (hit, miss).");
        _issueDuration = meter.CreateHistogram("tokenauthority.issue.duration", unit: "s",
            description: "Duration of TokenRequests, by result.", advice: seconds);
        _verifyDuration = meter.CreateHistogram("tokenauthority.verify.duration", unit: "s",
            description: "Duration of token verifications, by result.", advice: seconds);
        _lookupDuration = meter.CreateHistogram("tokenauthority.resolver.lookup.duration", unit: "s",
            description: "Duration of bound-object resolver lookups, by object kind and result (found, not_found, error).", advice: seconds);

        _rotations = meter.CreateCounter<long>("tokenauthority.key.rotations", unit: "{rotation}",
            description: "Changes of the key ring's signing key seen by this instance (scheduled, on demand, or made by another instance).");

        if (keys is not null)
        {
            meter.CreateObservableGauge("tokenauthority.keys.verification", () => VerificationKeyCount(keys), unit: "{key}",
                description: "Keys that verify tokens now (the signing key's public half included); 0 when the keys cannot be loaded.");
        }

        if (ring is not null)
        {
            var clock = time ?? TimeProvider.System;
            meter.CreateObservableGauge("tokenauthority.keys", () => RingKeyCounts(ring), unit: "{key}",
                description: "Keys of the key ring, by state (published, active, retired).");
            meter.CreateObservableGauge("tokenauthority.key.active.age", () => ActiveKeyAge(ring, clock), unit: "s",
                description: "Seconds since the key ring's signing key was activated.");
        }
    }

    /// <summary>The key ring's signing key changed (counted by <c>tokenauthority.key.rotations</c>).</summary>
    internal void KeyRotated() => _rotations.Add(1);

    internal void Issued(TimeSpan duration)
    {
        _issued.Add(1);
        _issueDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ResultTag, "success"));
    }

    internal void IssueFailed(string reason, TimeSpan duration)
    {
        _refused.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, reason));
        _issueDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ResultTag, "failure"));
    }

    internal void Verified(TokenVerificationFailure failure, TimeSpan duration)
    {
        var result = ResultOf(failure);
        if (failure == TokenVerificationFailure.None)
        {
            _verified.Add(1, new KeyValuePair<string, object?>(ResultTag, result));
        }
        else
        {
            _verified.Add(1, new KeyValuePair<string, object?>(ResultTag, result), new KeyValuePair<string, object?>(ErrorTypeTag, FailureNames[(int)failure]));
        }

        _verifyDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ResultTag, result));
    }

    internal void LegacyToken() => _legacy.Add(1);

    /// <summary>An extended token was used; <paramref name="stale"/> when after its warnafter time.</summary>
    internal void ExtendedToken(bool stale)
    {
        _extended.Add(1);
        if (stale)
        {
            _stale.Add(1);
        }
    }

    void ITokenAuthorityCacheObserver.CacheLookup(string cache, bool hit) => CacheLookup(cache, hit);

    /// <summary>Counts one lookup of the cache named <paramref name="cache"/> (<c>verification</c> or <c>bound_object</c>).</summary>
    internal void CacheLookup(string cache, bool hit) => _cacheLookups.Add(1,
        new KeyValuePair<string, object?>(CacheTag, cache),
        new KeyValuePair<string, object?>(CacheResultTag, hit ? "hit" : "miss"));

    internal void ResolverLookup(string kind, BoundObjectLookupResult result, TimeSpan duration) => _lookupDuration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>(ObjectKindTag, kind),
        new KeyValuePair<string, object?>(ResultTag, result.Failed ? "error" : result.Object is null ? "not_found" : "found"));

    /// <summary><c>success</c>, <c>error</c> (the answer is unknown: a resolver failed) or <c>failure</c> (refused).</summary>
    internal static string ResultOf(TokenVerificationFailure failure) => failure switch
    {
        TokenVerificationFailure.None => "success",
        TokenVerificationFailure.ResolverUnavailable => "error",
        _ => "failure",
    };

    /// <summary>The <c>error.type</c> value of a failure: its name in snake case (<c>invalid_signature</c>).</summary>
    internal static string ErrorType(TokenVerificationFailure failure) => FailureNames[(int)failure];

    private static int VerificationKeyCount(Func<TokenKeySet> keys)
    {
        try
        {
            return keys().VerificationKeys.Count;
        }
#pragma warning disable CA1031 // A key set that cannot be loaded is a state to report (0 keys), not a reason to break the collection.
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    private static Measurement<int>[] RingKeyCounts(Func<IKeyRing?> ring)
    {
        if (RingKeys(ring) is not { } keys)
        {
            return [];
        }

        var measurements = new Measurement<int>[KeyStates.Length];
        for (var i = 0; i < KeyStates.Length; i++)
        {
            var state = KeyStates[i];
            measurements[i] = new Measurement<int>(keys.Count(k => k.State == state), new KeyValuePair<string, object?>(KeyStateTag, KeyStateNames[i]));
        }

        return measurements;
    }

    private static Measurement<double>[] ActiveKeyAge(Func<IKeyRing?> ring, TimeProvider time) =>
        RingKeys(ring)?.FirstOrDefault(k => k.State == KeyRingKeyState.Active) is { } active
            ? [new Measurement<double>(Math.Max(0, (time.GetUtcNow() - active.Activates).TotalSeconds))]
            : [];

    // A ring that cannot be loaded reports nothing (the health check says why); the collection never breaks.
    private static IReadOnlyList<KeyRingKey>? RingKeys(Func<IKeyRing?> ring)
    {
        try
        {
            return ring()?.GetKeys();
        }
#pragma warning disable CA1031 // A ring that cannot be loaded is a state to report (no measurement), not a reason to break the collection.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static string SnakeCase(TokenVerificationFailure failure)
    {
        var name = failure == TokenVerificationFailure.None ? "none" : failure.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
