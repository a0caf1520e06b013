using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>
/// One hostile token of the corpus: a name, how to make it from the corpus authority, and the verifier's
/// expected answer (not recognised, or rejected for a given reason with the exact Kubernetes text).
/// It is verified for <see cref="CorpusAuthority.Audience"/> unless <see cref="Audiences"/> says otherwise
/// (empty: the API audiences, as a TokenReview without <c>spec.audiences</c>).
/// </summary>
public sealed record HostileTokenCase(
    string Name,
    Func<CorpusAuthority, string> Build,
    TokenVerificationOutcome Outcome,
    TokenVerificationFailure Failure,
    string? Error,
    IReadOnlyList<string>? Audiences = null)
{
    public override string ToString() => Name;
}
