using System.Net;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>Attempts and TokenReview cache lookups are counted on the <c>TokenAuthority.AspNetCore</c> meter.</summary>
public sealed class AuthenticationMetricsTests
{
    [Fact]
    public async Task Local_scheme_counts_successes_and_failures()
    {
        await using var app = await ProtectedApp.StartAsync();
        using var metrics = new MetricsRecorder(app.Services, TokenAuthorityAuthenticationMetrics.MeterName);
        var token = await app.IssueAsync(["orders"], app.Pod);

        (await app.GetAsync("/orders", token)).Dispose();
        (await app.GetAsync("/orders", "garbage")).Dispose();
        (await app.SendAsync("/orders", "Bearer a b")).Dispose();
        (await app.GetAsync("/orders", null)).Dispose();

        Assert.Equal(1, metrics.Count("tokenauthority.authentication.attempts", "tokenauthority.result", "success"));
        Assert.Equal(2, metrics.Count("tokenauthority.authentication.attempts", "tokenauthority.result", "failure"));
        Assert.Equal(3, metrics.Count("tokenauthority.authentication.attempts", "tokenauthority.authentication.scheme", TokenAuthorityAuthenticationDefaults.AuthenticationScheme));
    }

    [Fact]
    public async Task TokenReview_scheme_counts_cache_hits_and_misses()
    {
        await using var authority = await AuthorityServer.StartAsync(new AuthorityServerOptions { ApiPolicy = AuthorityServer.ReviewerPolicy });
        await using var service = await ServiceApp.StartTokenReviewAsync(authority);
        using var metrics = new MetricsRecorder(service.App.Services, TokenAuthorityAuthenticationMetrics.MeterName);
        var token = await authority.IssueAsync(["orders"], authority.Pod);

        using var first = await service.GetAsync("/orders", token);
        using var second = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, metrics.Count("tokenauthority.tokenreview.cache.lookups", "tokenauthority.cache.result", "miss"));
        Assert.Equal(1, metrics.Count("tokenauthority.tokenreview.cache.lookups", "tokenauthority.cache.result", "hit"));
        Assert.Equal(1, metrics.Count("tokenauthority.tokenreview.duration", "tokenauthority.result", "success"));
        Assert.Equal(2, metrics.Count("tokenauthority.authentication.attempts", "tokenauthority.result", "success"));
    }
}
