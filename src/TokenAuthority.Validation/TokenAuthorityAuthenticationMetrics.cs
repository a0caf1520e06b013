using System.Diagnostics.Metrics;

namespace TokenAuthority.Validation;

/// <summary>
/// Counters of the authentication schemes on the meter <see cref="MeterName"/>, named after the
/// kube-apiserver authentication metrics (<c>authentication_attempts</c>, <c>authentication_token_cache_request_total</c>).
/// </summary>
internal sealed class TokenAuthorityAuthenticationMetrics
{
    public const string MeterName = "TokenAuthority.Validation";

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _cacheRequests;
    private readonly Histogram<double> _reviewDuration;

    public TokenAuthorityAuthenticationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("authentication_attempts_total", description: "Bearer tokens presented, by scheme and result (success, failure, error).");
        _cacheRequests = meter.CreateCounter<long>("authentication_token_cache_requests_total", description: "TokenReview cache lookups, by status (hit, miss).");
        _reviewDuration = meter.CreateHistogram<double>("authentication_token_review_duration_seconds", unit: "s", description: "Duration of TokenReview calls, by status.");
    }

    /// <summary>Counts one bearer token: <c>success</c>, <c>failure</c> (refused) or <c>error</c> (could not be verified).</summary>
    public void Attempt(string scheme, string result) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("result", result));

    public void CacheRequest(bool hit) => _cacheRequests.Add(1, new KeyValuePair<string, object?>("status", hit ? "hit" : "miss"));

    public void Reviewed(TimeSpan duration, string status) => _reviewDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));
}
