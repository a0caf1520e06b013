using System.Diagnostics.Metrics;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// The instruments of the authentication schemes on the meter <see cref="MeterName"/>, in .NET's conventions (as
/// <c>aspnetcore.authentication.*</c>); their kube-apiserver counterparts are <c>authentication_attempts</c>,
/// <c>authentication_token_cache_request_total</c> and <c>authentication_duration_seconds</c> (docs/observability.md).
/// </summary>
internal sealed class TokenAuthorityAuthenticationMetrics
{
    public const string MeterName = "TokenAuthority.Validation";

    public const string SchemeTag = "tokenauthority.authentication.scheme";
    public const string ResultTag = "tokenauthority.result";
    public const string ErrorTypeTag = "error.type";
    public const string CacheResultTag = "tokenauthority.cache.result";

    // The bucket boundaries aspnetcore gives its short durations (MetricsConstants.ShortSecondsBucketBoundaries).
    private static readonly IReadOnlyList<double> ShortSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Tag values are computed once, so the request path does no string work.
    private static readonly string[] ErrorTypes = Enum.GetValues<TokenVerificationFailure>().Select(SnakeCase).ToArray();

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<double> _reviewDuration;

    public TokenAuthorityAuthenticationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("tokenauthority.authentication.attempts", unit: "{request}",
            description: "Bearer tokens presented, by scheme, result (success, failure, error) and failure reason (error.type).");
        _cacheLookups = meter.CreateCounter<long>("tokenauthority.tokenreview.cache.lookups", unit: "{lookup}",
            description: "TokenReview answer cache lookups, by result (hit, miss).");
        _reviewDuration = meter.CreateHistogram("tokenauthority.tokenreview.duration", unit: "s",
            description: "Duration of TokenReview calls to the authority, by result (success, failure, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSecondsBuckets });
    }

    /// <summary>Counts one bearer token: <c>success</c>, <c>failure</c> (refused) or <c>error</c> (could not be verified).</summary>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="failure">Why the token was refused (<see cref="TokenVerificationFailure.None"/> on success).</param>
    /// <param name="errorType">The <c>error.type</c> when not the failure's own name.</param>
    public void Attempt(string scheme, TokenVerificationFailure failure, string? errorType = null)
    {
        var result = ResultOf(failure);
        if (failure == TokenVerificationFailure.None)
        {
            _attempts.Add(1, new KeyValuePair<string, object?>(SchemeTag, scheme), new KeyValuePair<string, object?>(ResultTag, result));
        }
        else
        {
            _attempts.Add(1,
                new KeyValuePair<string, object?>(SchemeTag, scheme),
                new KeyValuePair<string, object?>(ResultTag, result),
                new KeyValuePair<string, object?>(ErrorTypeTag, errorType ?? ErrorTypes[(int)failure]));
        }
    }

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>(CacheResultTag, hit ? "hit" : "miss"));

    public void Reviewed(TimeSpan duration, TokenVerificationFailure failure) =>
        _reviewDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ResultTag, ResultOf(failure)));

    /// <summary><c>success</c>, <c>error</c> (the answer is unknown) or <c>failure</c> (refused).</summary>
    public static string ResultOf(TokenVerificationFailure failure) => failure switch
    {
        TokenVerificationFailure.None => "success",
        TokenVerificationFailure.ResolverUnavailable => "error",
        _ => "failure",
    };

    /// <summary>The <c>error.type</c> of a failure: its name in snake case (<c>invalid_signature</c>), as the core meter says it.</summary>
    public static string ErrorType(TokenVerificationFailure failure) => ErrorTypes[(int)failure];

    private static string SnakeCase(TokenVerificationFailure failure)
    {
        var name = failure.ToString();
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
