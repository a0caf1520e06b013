using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>
/// The one table of refusal texts: each text this authority writes reads back into its failure, and so do the texts
/// kube-apiserver (and earlier versions of this authority) send to a TokenReview client. Every verification in the core
/// tests also checks the first law (<see cref="TestSupport.LawCheckingVerifier"/>).
/// </summary>
public class TokenVerificationErrorsTests
{
    public static TheoryData<string, TokenVerificationFailure> Written => new()
    {
        { TokenVerificationErrors.NoKeysFound, TokenVerificationFailure.InvalidSignature },
        { TokenVerificationErrors.CryptoError, TokenVerificationFailure.InvalidSignature },
        { TokenVerificationErrors.UndecodableClaims, TokenVerificationFailure.InvalidSignature },
        { TokenVerificationErrors.UnknownBinding("job"), TokenVerificationFailure.UnknownBinding },
        { TokenVerificationErrors.UnknownBinding("a) does not match (b"), TokenVerificationFailure.UnknownBinding },
        { TokenVerificationErrors.InvalidIssuer("https://other.example.com"), TokenVerificationFailure.InvalidIssuer },
        { TokenVerificationErrors.InvalidAudience(["a", "b"], ["c"]), TokenVerificationFailure.InvalidAudience },
        { TokenVerificationErrors.InvalidAudience([], []), TokenVerificationFailure.InvalidAudience },
        { TokenVerificationErrors.NotYetValid, TokenVerificationFailure.NotYetValid },
        { TokenVerificationErrors.Expired, TokenVerificationFailure.Expired },
        { TokenVerificationErrors.IssuedInFuture, TokenVerificationFailure.IssuedInFuture },
        { TokenVerificationErrors.ServiceAccountNotFound("builder"), TokenVerificationFailure.ServiceAccountNotFound },
        { TokenVerificationErrors.ServiceAccountNotFound(""), TokenVerificationFailure.ServiceAccountNotFound },
        { TokenVerificationErrors.ServiceAccountUidMismatch("old"), TokenVerificationFailure.ServiceAccountUidMismatch },
        { TokenVerificationErrors.ServiceAccountUidMismatch(""), TokenVerificationFailure.ServiceAccountUidMismatch },
        { TokenVerificationErrors.ServiceAccountDeleted("default", "builder"), TokenVerificationFailure.ServiceAccountDeleted },
        { TokenVerificationErrors.Invalidated, TokenVerificationFailure.BoundObjectInvalidated },
        { TokenVerificationErrors.BoundObjectUidMismatch("pod", "old"), TokenVerificationFailure.BoundObjectUidMismatch },
        { TokenVerificationErrors.BoundObjectUidMismatch("workflow", ""), TokenVerificationFailure.BoundObjectUidMismatch },
        { TokenVerificationErrors.ResolverUnavailable, TokenVerificationFailure.ResolverUnavailable },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void Every_text_this_authority_writes_reads_back_into_its_failure(string text, TokenVerificationFailure failure) =>
        Assert.Equal(failure, TokenVerificationErrors.Classify(text));

    [Fact]
    public void Every_failure_of_a_recognised_token_has_a_text()
    {
        var written = Written.Select(row => (TokenVerificationFailure)row[1]).ToHashSet();
        var refusals = Enum.GetValues<TokenVerificationFailure>().Where(f => f is not (TokenVerificationFailure.None or TokenVerificationFailure.NotRecognized));

        Assert.Equal(refusals.Order(), written.Order());
    }

    /// <summary>spec §3.1's texts, quoted from kube-apiserver, beside what this authority writes for the same refusal.</summary>
    public static TheoryData<string, string> SharedWithKubernetes => new()
    {
        { "invalid signature, no keys found", TokenVerificationErrors.NoKeysFound },
        { "go-jose/go-jose: error in cryptographic primitive", TokenVerificationErrors.CryptoError },
        { "token issuer \"x\" is invalid", TokenVerificationErrors.InvalidIssuer("x") },
        { "token audiences [\"a\" \"b\"] is invalid for the target audiences [\"c\"]", TokenVerificationErrors.InvalidAudience(["a", "b"], ["c"]) },
        { "service account token is not valid yet", TokenVerificationErrors.NotYetValid },
        { "service account token has expired", TokenVerificationErrors.Expired },
        { "service account token is issued in the future", TokenVerificationErrors.IssuedInFuture },
        { "serviceaccounts \"builder\" not found", TokenVerificationErrors.ServiceAccountNotFound("builder") },
        { "service account default/builder has been deleted", TokenVerificationErrors.ServiceAccountDeleted("default", "builder") },
        { "service account token has been invalidated", TokenVerificationErrors.Invalidated },
        { "service account token claims could not be validated due to unexpected private claim", TokenVerificationErrors.UndecodableClaims },
    };

    [Theory]
    [MemberData(nameof(SharedWithKubernetes))]
    public void Texts_kube_apiserver_shares_with_this_authority_are_written_identically(string kubernetes, string ours) =>
        Assert.Equal(kubernetes, ours);

    [Theory]
    // kube-apiserver names the live uid (spec §3.1 steps 9, 11-13).
    [InlineData("service account UID (new) does not match claim (old)", TokenVerificationFailure.ServiceAccountUidMismatch)]
    [InlineData("pod UID (new) does not match service account pod ref claim (old)", TokenVerificationFailure.BoundObjectUidMismatch)]
    [InlineData("secret UID (new) does not match service account secret ref claim (old)", TokenVerificationFailure.BoundObjectUidMismatch)]
    [InlineData("node UID (new) does not match service account node ref claim (old)", TokenVerificationFailure.BoundObjectUidMismatch)]
    // Older go-jose builds.
    [InlineData("square/go-jose: error in cryptographic primitive", TokenVerificationFailure.InvalidSignature)]
    // Earlier versions of this authority named the failed lookup.
    [InlineData("service account token could not be validated: the pod lookup failed or timed out", TokenVerificationFailure.ResolverUnavailable)]
    // Texts nobody here writes.
    [InlineData("something else", TokenVerificationFailure.NotRecognized)]
    [InlineData("", TokenVerificationFailure.NotRecognized)]
    [InlineData("service account token has expired!", TokenVerificationFailure.NotRecognized)]
    [InlineData("token issuer", TokenVerificationFailure.NotRecognized)]
    public void Texts_of_other_authorities_read_back_too(string text, TokenVerificationFailure failure) =>
        Assert.Equal(failure, TokenVerificationErrors.Classify(text));
}
