
namespace TokenAuthority.Client.Tests;

public sealed class TokenRefreshPolicyTests
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3600, 10 * 60, false)]
    [InlineData(3600, 47 * 60 + 59, false)]
    [InlineData(3600, 48 * 60, true)]
    [InlineData(600, 8 * 60, true)]
    [InlineData(60 * 3600, 24 * 3600 - 1, false)]
    [InlineData(60 * 3600, 24 * 3600, true)]
    public void Refresh_at_80_percent_of_the_lifetime_or_after_24_hours(long lifetimeSeconds, long ageSeconds, bool due)
    {
        var token = new ServiceAccountToken("t", Issued, Issued.AddSeconds(lifetimeSeconds), "uid");
        Assert.Equal(due, TokenRefreshPolicy.RequiresRefresh(token, Issued.AddSeconds(ageSeconds), TimeSpan.Zero));
    }

    [Fact]
    public void Jitter_brings_the_refresh_forward()
    {
        var token = new ServiceAccountToken("t", Issued, Issued.AddHours(1), "uid");
        Assert.True(TokenRefreshPolicy.RequiresRefresh(token, Issued.AddMinutes(48).AddSeconds(-10), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Token_without_expiration_is_never_due()
    {
        var token = new ServiceAccountToken("t", Issued, null, "uid");
        Assert.Null(TokenRefreshPolicy.RefreshAt(token, TimeSpan.Zero));
        Assert.False(TokenRefreshPolicy.RequiresRefresh(token, Issued.AddYears(10), TimeSpan.Zero));
    }

    [Fact]
    public void A_lower_max_age_refreshes_sooner()
    {
        var token = new ServiceAccountToken("t", Issued, Issued.AddMinutes(10), "uid");
        Assert.Equal(Issued.AddSeconds(30), TokenRefreshPolicy.RefreshAt(token, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
    }
}
