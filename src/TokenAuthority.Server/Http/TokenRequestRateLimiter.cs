using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Server.Http;

/// <summary>
/// The per-caller token buckets of <see cref="TokenRequestRateLimitOptions"/>, one partition per caller (idle, full
/// buckets are dropped by the partitioned limiter). A singleton, disposed with the container.
/// </summary>
internal sealed class TokenRequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _period;

    public TokenRequestRateLimiter(IOptions<TokenAuthorityEndpointOptions> options)
    {
        var limit = options.Value.TokenRequestRateLimit;
        _period = limit.ReplenishmentPeriod;
        if (!limit.Enabled)
        {
            return;
        }

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.TokenLimit,
            TokensPerPeriod = limit.TokensPerPeriod,
            ReplenishmentPeriod = limit.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetTokenBucketLimiter(caller, _ => bucket), StringComparer.Ordinal);
    }

    /// <summary>
    /// The caller a request is counted for: the authenticated user name, else the client address. The prefixes keep a
    /// user whose name looks like an address apart from that address.
    /// </summary>
    public static string Caller(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? "user " + name
            : "address " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Takes one request from <paramref name="caller"/>'s bucket: <see langword="null"/> when allowed, else how long to wait (at least one second).</summary>
    public int? TryAcquire(string caller)
    {
        if (_limiter is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _period;
        return (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);
    }

    public void Dispose() => _limiter?.Dispose();
}
