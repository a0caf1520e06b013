using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Client.Tests.TestSupport;
using TokenAuthority.Model;

namespace TokenAuthority.Client.Tests;

public sealed class ServiceAccountTokenSourceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeRequester _authority;
    private readonly ServiceAccountTokenSource _source;
    private readonly RecordingLogger _log = new();

    public ServiceAccountTokenSourceTests()
    {
        _authority = new FakeRequester(_time);
        _source = new ServiceAccountTokenSource(_authority, Options.Create(new ServiceAccountTokenSourceOptions()), _time, _log, new Random(12));
    }

    public void Dispose() => _source.Dispose();

    private static ServiceAccountTokenRequest For(long? seconds, string audience = "orders") => new()
    {
        Namespace = "shop",
        Name = "worker",
        Audiences = [audience],
        ExpirationSeconds = seconds,
    };

    [Fact]
    public async Task One_hour_token_is_not_refreshed_at_10_minutes_and_is_refreshed_at_48_minutes()
    {
        var first = await _source.GetTokenAsync(For(3600));
        Assert.Equal("token-1", first.Value);

        _time.Advance(TimeSpan.FromMinutes(10));
        await Eventually.Settle();
        Assert.Equal(1, _authority.Calls);
        Assert.Equal("token-1", (await _source.GetTokenAsync(For(3600))).Value);

        _time.Advance(TimeSpan.FromMinutes(37) + TimeSpan.FromSeconds(49)); // 47:49, before 48 min less the largest jitter
        await Eventually.Settle();
        Assert.Equal(1, _authority.Calls);

        _time.Advance(TimeSpan.FromSeconds(11)); // 48:00
        await Eventually.True(() => _authority.Calls == 2, "the background refresh at 80 % of the lifetime");
        await Eventually.True(async () => (await _source.GetTokenAsync(For(3600))).Value == "token-2", "the refreshed token is served");
    }

    [Fact]
    public async Task Sixty_hour_token_is_refreshed_after_24_hours()
    {
        await _source.GetTokenAsync(For(60 * 3600));

        _time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        await Eventually.Settle();
        Assert.Equal(1, _authority.Calls);

        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.True(() => _authority.Calls == 2, "the refresh of a token older than 24 h");
    }

    [Fact]
    public async Task Token_without_expiration_is_never_refreshed()
    {
        _authority.NoExpiration = true;
        var token = await _source.GetTokenAsync(For(3600));
        Assert.Null(token.ExpiresAt);

        for (var day = 0; day < 30; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
            Assert.Equal("token-1", (await _source.GetTokenAsync(For(3600))).Value);
        }
        await Eventually.Settle();
        Assert.Equal(1, _authority.Calls);
    }

    [Fact]
    public async Task Failing_refresh_keeps_serving_the_valid_token_retries_and_fails_clearly_once_it_expires()
    {
        await _source.GetTokenAsync(For(3600));
        _authority.Refuse = new Status { Code = 403, Reason = "Forbidden", Message = "serviceaccounts \"worker\" is forbidden: the authority is in maintenance" };

        _time.Advance(TimeSpan.FromMinutes(48));
        await Eventually.True(() => _log.Count(4002) == 1, "the first refresh attempt failed and was logged");
        Assert.Equal(2, _authority.Calls);
        Assert.Equal("token-1", (await _source.GetTokenAsync(For(3600))).Value);

        // Backoff: 1 s, then 2 s ... each retry is a new TokenRequest; the cached token is served meanwhile.
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => _log.Count(4002) == 2, "the first retry after 1 s");
        Assert.Equal(3, _authority.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Settle();
        Assert.Equal(3, _authority.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => _log.Count(4002) == 3, "the second retry after 2 s more");
        Assert.Equal(4, _authority.Calls);
        Assert.Equal("token-1", (await _source.GetTokenAsync(For(3600))).Value);

        _time.Advance(TimeSpan.FromMinutes(13)); // past 60 min: the cached token has expired
        await Eventually.Settle();
        var error = await Assert.ThrowsAsync<TokenRequestException>(() => _source.GetTokenAsync(For(3600)).AsTask());
        Assert.Contains("the authority is in maintenance", error.Message, StringComparison.Ordinal);
        Assert.Contains("shop/worker", error.Message, StringComparison.Ordinal);
        Assert.Equal(403, error.Status?.Code);

        _authority.Refuse = null;
        Assert.StartsWith("token-", (await _source.GetTokenAsync(For(3600))).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recreated_service_account_with_a_new_uid_misses_the_cache()
    {
        var orders = await _source.GetTokenAsync(For(3600, "orders"));
        Assert.Equal("uid-1", orders.ServiceAccountUid);

        // The account is deleted and recreated; the source learns the new uid from the next answer about it.
        _authority.Uid = "uid-2";
        var billing = await _source.GetTokenAsync(For(3600, "billing"));
        Assert.Equal("uid-2", billing.ServiceAccountUid);

        var again = await _source.GetTokenAsync(For(3600, "orders"));
        Assert.NotEqual(orders.Value, again.Value);
        Assert.Equal("uid-2", again.ServiceAccountUid);
        Assert.Equal(3, _authority.Calls);
    }

    [Fact]
    public async Task Invalidate_forgets_the_accounts_tokens()
    {
        var first = await _source.GetTokenAsync(For(3600));
        _source.Invalidate("shop", "worker");
        Assert.NotEqual(first.Value, (await _source.GetTokenAsync(For(3600))).Value);
    }

    [Fact]
    public async Task Different_keys_are_cached_apart()
    {
        await _source.GetTokenAsync(For(3600, "orders"));
        await _source.GetTokenAsync(For(3600, "billing"));
        await _source.GetTokenAsync(For(600, "orders"));
        await _source.GetTokenAsync(For(3600, "orders") with { BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "p", Uid = "1" } });
        await _source.GetTokenAsync(For(3600, "orders"));
        Assert.Equal(4, _authority.Calls);
    }

    [Fact]
    public async Task Hundred_concurrent_callers_cause_one_TokenRequest()
    {
        _authority.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() => _source.GetTokenAsync(For(3600)).AsTask())).ToArray();
        await Eventually.True(() => _authority.Calls == 1, "the shared TokenRequest");
        await Eventually.Settle();
        _authority.Gate.SetResult();

        var tokens = await Task.WhenAll(callers);
        Assert.All(tokens, t => Assert.Equal("token-1", t.Value));
        Assert.Equal(1, _authority.Calls);
    }

    [Fact]
    public async Task A_caller_never_waits_for_the_refresh_of_a_still_valid_token()
    {
        await _source.GetTokenAsync(For(3600));
        _authority.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _time.Advance(TimeSpan.FromMinutes(50));
        await Eventually.True(() => _authority.Calls == 2, "the background refresh has started");
        var served = _source.GetTokenAsync(For(3600));
        Assert.True(served.IsCompletedSuccessfully);
        Assert.Equal("token-1", (await served).Value);

        _authority.Gate.SetResult();
        await Eventually.True(async () => (await _source.GetTokenAsync(For(3600))).Value == "token-2", "the refreshed token is served");
    }

    [Fact]
    public async Task Refresh_after_a_rejection_is_shared_and_skipped_when_already_replaced()
    {
        var first = await _source.GetTokenAsync(For(3600));
        var replaced = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _source.RefreshTokenAsync(For(3600), first.Value).AsTask())));
        Assert.All(replaced, t => Assert.NotEqual(first.Value, t.Value));
        Assert.Equal(2, _authority.Calls);
    }

    [Fact]
    public async Task No_background_work_after_dispose()
    {
        await _source.GetTokenAsync(For(3600));
        _source.Dispose();
        _time.Advance(TimeSpan.FromHours(2));
        await Eventually.Settle();
        Assert.Equal(1, _authority.Calls);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _source.GetTokenAsync(For(3600)).AsTask());
    }
}
