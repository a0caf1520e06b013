namespace TokenAuthority.Client;

/// <summary>
/// The kubelet's refresh rule (<c>pkg/kubelet/token/token_manager.go</c>, <c>requiresRefresh</c>): a token is refreshed once
/// 80 % of its lifetime has passed or it is older than 24 hours, whichever comes first, less a jitter; a token without an
/// expiration is never refreshed.
/// </summary>
internal static class TokenRefreshPolicy
{
    public static readonly TimeSpan DefaultMaxTokenAge = TimeSpan.FromHours(24);

    /// <summary>When <paramref name="token"/> should be refreshed, or <see langword="null"/> for never.</summary>
    public static DateTimeOffset? RefreshAt(ServiceAccountToken token, TimeSpan jitter) => RefreshAt(token, jitter, DefaultMaxTokenAge);

    /// <summary>When <paramref name="token"/> should be refreshed with <paramref name="maxTokenAge"/> in place of 24 hours.</summary>
    public static DateTimeOffset? RefreshAt(ServiceAccountToken token, TimeSpan jitter, TimeSpan maxTokenAge)
    {
        if (token.ExpiresAt is not { } expiresAt)
        {
            return null;
        }
        var lifetime = expiresAt - token.IssuedAt;
        var byFraction = expiresAt - (lifetime / 5);
        var byAge = token.IssuedAt + maxTokenAge;
        return (byFraction < byAge ? byFraction : byAge) - jitter;
    }

    /// <summary>Whether <paramref name="token"/> needs refreshing at <paramref name="now"/>.</summary>
    public static bool RequiresRefresh(ServiceAccountToken token, DateTimeOffset now, TimeSpan jitter)
        => RefreshAt(token, jitter) is { } at && now >= at;
}
