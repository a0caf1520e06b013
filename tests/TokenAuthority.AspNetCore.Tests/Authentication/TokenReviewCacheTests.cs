using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenAuthority.AspNetCore.Authentication;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The TokenReview answer cache: keyed by digest, positive answers only, bounded in time and size.</summary>
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
    public void Entries_expire_on_the_given_clock()
    {
        var cache = new TokenReviewCache(10);
        cache.Set("k", Positive, Now.AddSeconds(10), Now);

        Assert.True(cache.TryGet("k", Now.AddSeconds(9.999), out var hit));
        Assert.Same(Positive, hit);
        Assert.False(cache.TryGet("k", Now.AddSeconds(10), out _));
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
        var cache = new TokenReviewCache(10);
        cache.Set("k", new TokenVerificationResult { Outcome = outcome, Error = "no" }, Now.AddSeconds(10), Now);

        Assert.False(cache.TryGet("k", Now, out _));
    }

    [Fact]
    public void Size_is_bounded_and_expired_entries_make_room()
    {
        var cache = new TokenReviewCache(2);
        cache.Set("a", Positive, Now.AddSeconds(5), Now);
        cache.Set("b", Positive, Now.AddSeconds(10), Now);
        cache.Set("c", Positive, Now.AddSeconds(10), Now);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("c", Now, out _));

        cache.Set("c", Positive, Now.AddSeconds(20), Now.AddSeconds(6));
        Assert.True(cache.TryGet("c", Now.AddSeconds(6), out _));
        Assert.False(cache.TryGet("a", Now.AddSeconds(6), out _));
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
