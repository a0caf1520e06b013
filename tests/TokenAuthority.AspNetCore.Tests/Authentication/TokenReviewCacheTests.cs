using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The TokenReview answer cache: keyed by digest, positive answers only, bounded in time (on the injected clock) and size (a full cache evicts, it never refuses).</summary>
public sealed class TokenReviewCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly TokenVerificationResult Positive = new()
    {
        Outcome = TokenVerificationOutcome.Authenticated,
        Identity = ServiceAccountIdentity.TryFromUserInfo(new UserInfo { Username = "system:serviceaccount:default:builder" }, ["orders"], out var identity) ? identity : null,
        Audiences = ["orders"],
    };

    [Property(MaxTest = 200)]
    public Property Keys_are_sha256_hex_and_never_contain_the_token(NonEmptyString token)
    {
        var key = TokenReviewCache.Key(token.Get, ["orders"]);
        return (key.Length == 64 && key.All(Uri.IsHexDigit) && (token.Get.Length < 4 || !key.Contains(token.Get, StringComparison.Ordinal))).ToProperty();
    }

    [Fact]
    public void Keys_differ_by_audiences_and_by_how_parts_split()
    {
        Assert.NotEqual(TokenReviewCache.Key("t", ["orders"]), TokenReviewCache.Key("t", ["billing"]));
        Assert.NotEqual(TokenReviewCache.Key("t", ["a", "b"]), TokenReviewCache.Key("t", ["a\nb"]));
        Assert.NotEqual(TokenReviewCache.Key("ta", ["b"]), TokenReviewCache.Key("t", ["ab"]));
        Assert.Equal(TokenReviewCache.Key("t", ["orders"]), TokenReviewCache.Key("t", ["orders"]));
    }

    [Fact]
    public void Entries_expire_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new TokenReviewCache(10, clock);
        cache.Set("k", Positive, Now.AddSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.True(cache.TryGet("k", out var hit));
        Assert.Same(Positive, hit);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGet("k", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void An_answer_already_expired_on_the_clock_is_not_stored()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new TokenReviewCache(10, clock);
        cache.Set("k", Positive, Now);

        Assert.False(cache.TryGet("k", out _));
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(5, 10, 10)]        // exp + 60 s is later than the window: the window holds
    [InlineData(5, 300, 65)]       // a 5-minute window is cut to exp + 60 s
    [InlineData(1, 300, 61)]
    [InlineData(3600, 300, 300)]
    public void Entries_end_at_the_window_or_at_exp_plus_the_leeway_whichever_comes_first(int expInSeconds, int durationSeconds, int expectedSeconds)
    {
        var expires = TokenReviewCache.EntryExpiry(Now, TimeSpan.FromSeconds(durationSeconds), Now.ToUnixTimeSeconds() + expInSeconds, Now);

        Assert.Equal(Now.AddSeconds(expectedSeconds), expires);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-59L)]
    [InlineData(-3600L)]
    [InlineData(null)]
    public void Tokens_at_or_past_their_exp_or_without_one_are_not_cached(long? expInSeconds)
    {
        var exp = expInSeconds is { } s ? Now.ToUnixTimeSeconds() + s : (long?)null;

        Assert.Null(TokenReviewCache.EntryExpiry(Now, TimeSpan.FromMinutes(5), exp, Now));
    }

    [Fact]
    public void The_window_counts_from_when_the_authority_was_asked_and_a_far_exp_cannot_overflow()
    {
        var far = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

        Assert.Equal(Now.AddSeconds(10), TokenReviewCache.EntryExpiry(Now, TimeSpan.FromSeconds(10), far, Now.AddSeconds(2)));
        Assert.Null(TokenReviewCache.EntryExpiry(Now, TimeSpan.FromSeconds(10), Now.ToUnixTimeSeconds() + 2, Now.AddSeconds(2)));
    }

    [Theory]
    [InlineData(TokenVerificationOutcome.Rejected)]
    [InlineData(TokenVerificationOutcome.NotRecognized)]
    public void Negative_answers_are_not_stored(TokenVerificationOutcome outcome)
    {
        using var cache = new TokenReviewCache(10, new FakeTimeProvider(Now));
        cache.Set("k", new TokenVerificationResult { Outcome = outcome, Error = "no" }, Now.AddSeconds(10));

        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void A_full_cache_evicts_the_least_recently_used_answer_and_keeps_the_new_one()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new TokenReviewCache(2, clock);
        cache.Set("a", Positive, Now.AddSeconds(60));
        clock.Advance(TimeSpan.FromSeconds(1));
        cache.Set("b", Positive, Now.AddSeconds(60));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cache.TryGet("a", out _));   // a is now the more recently used
        clock.Advance(TimeSpan.FromSeconds(1));

        cache.Set("c", Positive, Now.AddSeconds(60));

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
    }

    [Fact]
    public void A_full_cache_drops_expired_answers_before_live_ones()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new TokenReviewCache(2, clock);
        cache.Set("a", Positive, Now.AddSeconds(60));
        cache.Set("short", Positive, Now.AddSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(6));

        cache.Set("c", Positive, Now.AddSeconds(60));

        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.False(cache.TryGet("short", out _));
    }

    [Property(MaxTest = 100)]
    public Property However_many_answers_arrive_the_newest_is_kept_and_the_limit_holds(PositiveInt limit, NonNegativeInt extra)
    {
        var sizeLimit = Math.Min(limit.Get, 50);
        var answers = sizeLimit + Math.Min(extra.Get, 200);
        var clock = new FakeTimeProvider(Now);
        using var cache = new TokenReviewCache(sizeLimit, clock);
        var laws = true;
        for (var i = 0; i < answers; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            cache.Set($"k{i}", Positive, Now.AddMinutes(5));
            laws &= cache.TryGet($"k{i}", out _) && cache.Count <= sizeLimit;
        }

        return laws.ToProperty();
    }

    [Fact]
    public void A_size_limit_of_zero_keeps_nothing()
    {
        using var cache = new TokenReviewCache(0, new FakeTimeProvider(Now));
        cache.Set("k", Positive, Now.AddSeconds(10));

        Assert.False(cache.TryGet("k", out _));
    }

    [Theory]
    [InlineData("invalid bearer token", TokenVerificationOutcome.NotRecognized, TokenVerificationFailure.NotRecognized, null)]
    [InlineData("[invalid bearer token, service account token has expired]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.Expired, "service account token has expired")]
    [InlineData("[invalid bearer token, service account token has been invalidated]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.BoundObjectInvalidated, "service account token has been invalidated")]
    [InlineData("[invalid bearer token, pod UID (b) does not match service account pod ref claim (a)]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.BoundObjectUidMismatch, "pod UID (b) does not match service account pod ref claim (a)")]
    [InlineData("[invalid bearer token, pod UID does not match service account pod ref claim (a)]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.BoundObjectUidMismatch, "pod UID does not match service account pod ref claim (a)")]
    [InlineData("[invalid bearer token, service account UID does not match claim (a)]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.ServiceAccountUidMismatch, "service account UID does not match claim (a)")]
    [InlineData("[invalid bearer token, service account token could not be validated]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.ResolverUnavailable, "service account token could not be validated")]
    [InlineData("[invalid bearer token, service account token is bound to an object this authority cannot check (\"job\")]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.UnknownBinding, "service account token is bound to an object this authority cannot check (\"job\")")]
    [InlineData("[invalid bearer token, service account token claims could not be validated due to unexpected private claim]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.InvalidSignature, "service account token claims could not be validated due to unexpected private claim")]
    [InlineData("[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.InvalidSignature, "go-jose/go-jose: error in cryptographic primitive")]
    [InlineData("[invalid bearer token, serviceaccounts \"x\" not found]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.ServiceAccountNotFound, "serviceaccounts \"x\" not found")]
    [InlineData("[invalid bearer token, service account default/x has been deleted]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.ServiceAccountDeleted, "service account default/x has been deleted")]
    [InlineData("[invalid bearer token, token audiences [\"a\"] is invalid for the target audiences [\"b\"]]", TokenVerificationOutcome.Rejected, TokenVerificationFailure.InvalidAudience, "token audiences [\"a\"] is invalid for the target audiences [\"b\"]")]
    [InlineData("something else", TokenVerificationOutcome.Rejected, TokenVerificationFailure.NotRecognized, "something else")]
    public void Review_errors_read_back_into_results(string error, TokenVerificationOutcome outcome, TokenVerificationFailure failure, string? text)
    {
        var result = TokenReviewErrors.Refused(error);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(failure, result.Failure);
        Assert.Equal(text, result.Error);
    }
}
