using System.Diagnostics.Metrics;

namespace TokenAuthority.Diagnostics;

/// <summary>
/// Counters of the authority, named after the Kubernetes <c>serviceaccount_*</c> counters, created
/// through <see cref="IMeterFactory"/> on the meter <see cref="MeterName"/>.
/// </summary>
public sealed class TokenAuthorityMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "TokenAuthority";

    private readonly Counter<long> _issued;
    private readonly Counter<long> _issueFailures;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _legacy;
    private readonly Counter<long> _stale;
    private readonly Counter<long> _valid;

    /// <summary>Creates the instruments.</summary>
    internal TokenAuthorityMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _issued = meter.CreateCounter<long>("serviceaccount_tokens_issued_total", description: "Tokens issued by TokenRequest.");
        _issueFailures = meter.CreateCounter<long>("serviceaccount_token_request_failures_total", description: "TokenRequests refused, by reason.");
        _verifications = meter.CreateCounter<long>("serviceaccount_token_verifications_total", description: "Token verifications, by result.");
        _legacy = meter.CreateCounter<long>("serviceaccount_legacy_tokens_total", description: "Tokens without an audience used.");
        _stale = meter.CreateCounter<long>("serviceaccount_stale_tokens_total", description: "Extended tokens used after their warnafter time.");
        _valid = meter.CreateCounter<long>("serviceaccount_valid_tokens_total", description: "Extended tokens used before their warnafter time.");
    }

    internal void Issued() => _issued.Add(1);

    internal void IssueFailed(string reason) => _issueFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    // Tag values are computed once, so the verification hot path does no string work.
    private static readonly string[] ResultTags = Enum.GetValues<Verifying.TokenVerificationFailure>()
        .Select(f => f == Verifying.TokenVerificationFailure.None ? "success" : f.ToString()).ToArray();

    internal void Verified(Verifying.TokenVerificationFailure result) =>
        _verifications.Add(1, new KeyValuePair<string, object?>("result", ResultTags[(int)result]));

    internal void LegacyToken() => _legacy.Add(1);

    internal void StaleToken() => _stale.Add(1);

    internal void ValidToken() => _valid.Add(1);
}
