using TokenAuthority.Identity;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// The real verifier, with two laws checked on every answer any core test gets from it: a refusal's text reads back
/// into its failure through <see cref="TokenVerificationErrors.Classify"/> (what a TokenReview client does with it), and
/// an identity survives the TokenReview round trip (<see cref="ServiceAccountIdentity.ToUserInfo"/>, then
/// <see cref="ServiceAccountIdentity.TryFromUserInfo"/>) unchanged.
/// </summary>
internal sealed class LawCheckingVerifier(ITokenVerifier inner) : ITokenVerifier
{
    public async ValueTask<TokenVerificationResult> VerifyAsync(string token, IReadOnlyList<string>? audiences = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.VerifyAsync(token, audiences, cancellationToken).ConfigureAwait(false);
        Check(result);
        return result;
    }

    public static void Check(TokenVerificationResult result)
    {
        switch (result.Outcome)
        {
            case TokenVerificationOutcome.Rejected:
                Assert.NotNull(result.Error);
                Assert.True(
                    TokenVerificationErrors.Classify(result.Error) == result.Failure,
                    $"\"{result.Error}\" reads back as {TokenVerificationErrors.Classify(result.Error)}, not {result.Failure}");
                break;
            case TokenVerificationOutcome.Authenticated:
                var identity = result.Identity;
                Assert.NotNull(identity);
                Assert.Equal(result.Audiences, identity.Audiences);
                Assert.True(ServiceAccountIdentity.TryFromUserInfo(identity.ToUserInfo(), identity.Audiences, out var rebuilt), $"{identity} does not come back from its user");
                Assert.Equal(identity, rebuilt);
                break;
            default:
                Assert.Null(result.Identity);
                break;
        }
    }
}
