namespace TokenAuthority.Server.Http;

/// <summary>
/// The per-caller limit on TokenRequest (<c>POST …/serviceaccounts/{name}/token</c>): minting a token costs a signature
/// (an RS256 signature is CPU time), so one caller cannot take the authority's CPU from the others. A token bucket per
/// caller (the authenticated user name, else the client address): <see cref="TokenLimit"/> requests at once, refilled by
/// <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>. A request over the limit gets <c>429</c>
/// <c>TooManyRequests</c> with a <c>Retry-After</c> header. On by default (200 at once, 100 a second per caller).
/// </summary>
/// <remarks>
/// Counted in the endpoint, after authentication and authorization and before the body is read (JSON and protobuf alike),
/// so it needs no <c>UseRateLimiter()</c> and leaves the host's own rate limiter setup alone; denied callers are refused
/// before they are counted.
/// </remarks>
public sealed class TokenRequestRateLimitOptions
{
    /// <summary>The default <see cref="TokenLimit"/>.</summary>
    public const int DefaultTokenLimit = 200;

    /// <summary>The default <see cref="TokensPerPeriod"/>.</summary>
    public const int DefaultTokensPerPeriod = 100;

    /// <summary>Whether TokenRequest is limited per caller. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most requests a caller may make at once (the bucket's size), 1 to 1,000,000. Default 200.</summary>
    public int TokenLimit { get; set; } = DefaultTokenLimit;

    /// <summary>Requests given back to each caller every <see cref="ReplenishmentPeriod"/>, 1 to <see cref="TokenLimit"/>. Default 100.</summary>
    public int TokensPerPeriod { get; set; } = DefaultTokensPerPeriod;

    /// <summary>How often <see cref="TokensPerPeriod"/> are given back, 1 ms to 1 day. Default one second.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
