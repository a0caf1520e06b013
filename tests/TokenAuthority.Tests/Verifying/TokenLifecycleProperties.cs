using TokenAuthority.Identity;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenAuthority.Binding;
using TokenAuthority.Errors;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>Laws every issued token obeys, over generated accounts, audiences, bindings and lifetimes.</summary>
public class TokenLifecycleProperties
{
    private const int Runs = 40;

    private static readonly Lazy<TokenKey[]> ForeignKeys = new(() =>
        [TokenKey.GenerateRsa(), TokenKey.GenerateECDsa(), TokenKey.GenerateECDsa()]);

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenVerifiesForEveryAudienceItCarriesAndForNoneOutside(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s);
        var inside = s.Audiences.All(a => issued.Verify([a]) is { Succeeded: true } r && r.Audiences.SequenceEqual([a]));
        var outside = s.Outsiders.All(o => issued.Verify([o]) is { Failure: TokenVerificationFailure.InvalidAudience } r
            && r.Error == $"token audiences {GoQuote.QuoteList(s.Audiences)} is invalid for the target audiences {GoQuote.QuoteList([o])}");
        var all = issued.Verify(s.Outsiders) is { Failure: TokenVerificationFailure.InvalidAudience };
        return inside.Label("verifies for each own audience")
            .And(outside.Label("refused for each outside audience, with the Kubernetes text"))
            .And(all.Label("refused for all outside audiences together"));
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property TheAcceptedAudiencesAreTheIntersectionInRequestedOrder(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s);
        var requested = s.Requested.Length > 0 ? s.Requested : [TestAuthority.Issuer];
        var expected = requested.Where(a => s.Audiences.Contains(a)).ToArray();
        var result = issued.Verify(s.Requested);
        return expected.Length > 0
            ? (result.Succeeded && result.Audiences.SequenceEqual(expected)).Label($"audiences [{string.Join(",", result.Audiences)}]")
            : (result.Failure == TokenVerificationFailure.InvalidAudience).Label($"empty intersection gives {result.Failure}");
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenVerifiesUntilSixtySecondsAfterExpiryAndNotAfter(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s);
        var fresh = issued.Verify().Succeeded;
        issued.Authority.Clock.SetUtcNow(issued.Expires.AddSeconds(60));
        var lastValid = issued.Verify().Succeeded;
        issued.Authority.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = issued.Verify();
        return fresh.Label("valid when issued")
            .And(lastValid.Label("valid at exp + 60 s"))
            .And((after.Failure == TokenVerificationFailure.Expired && after.Error == "service account token has expired").Label("expired at exp + 61 s"));
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenIsNotValidMoreThanSixtySecondsBeforeItsNotBefore(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s);
        issued.Authority.Clock.AdjustTime(issued.IssuedAt.AddSeconds(-60));
        var edge = issued.Verify().Succeeded;
        issued.Authority.Clock.AdjustTime(issued.IssuedAt.AddSeconds(-61));
        var early = issued.Verify();
        return edge.Label("valid at nbf - 60 s")
            .And((early.Failure == TokenVerificationFailure.NotYetValid && early.Error == "service account token is not valid yet").Label("not valid yet at nbf - 61 s"));
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenStopsVerifyingOnceItsAccountOrBoundObjectIsRemoved(TokenScenario s, bool removeAccount)
    {
        using var issued = IssuedScenario.Issue(s);
        var store = issued.Authority.Store;
        if (removeAccount || s.Binding.Kind is null)
        {
            store.Remove(new BoundObjectKey(BoundObjectKinds.ServiceAccount, s.Namespace, s.ServiceAccount));
            var r = issued.Verify();
            return (r.Failure == TokenVerificationFailure.ServiceAccountNotFound && r.Error == $"serviceaccounts \"{s.ServiceAccount}\" not found")
                .Label($"account removed: {r.Failure} {r.Error}");
        }

        store.Remove(s.Binding.Key(s.Namespace)!.Value);
        var result = issued.Verify();
        return (result.Failure == TokenVerificationFailure.BoundObjectInvalidated && result.Error == "service account token has been invalidated")
            .Label($"bound object removed: {result.Failure} {result.Error}");
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ADeletedAccountOrBoundObjectInvalidatesTheTokenSixtySecondsAfterDeletion(TokenScenario s, bool deleteAccount, byte secondsAgo)
    {
        using var issued = IssuedScenario.Issue(s);
        var now = issued.Authority.Clock.GetUtcNow();
        var account = deleteAccount || s.Binding.Kind is null;
        var key = account ? new BoundObjectKey(BoundObjectKinds.ServiceAccount, s.Namespace, s.ServiceAccount) : s.Binding.Key(s.Namespace)!.Value;
        bool IsRefused(TokenVerificationResult r) => account
            ? r.Failure == TokenVerificationFailure.ServiceAccountDeleted && r.Error == $"service account {s.Namespace}/{s.ServiceAccount} has been deleted"
            : r.Failure == TokenVerificationFailure.BoundObjectInvalidated && r.Error == "service account token has been invalidated";

        // The boundary on every run (a uniform byte lands on 60 or 61 once in 128 runs): 60 s ago is valid, 61 s is not.
        issued.Authority.Store.MarkDeleted(key, now.AddSeconds(-60));
        var atEdge = issued.Verify();
        issued.Authority.Store.MarkDeleted(key, now.AddSeconds(-61));
        var pastEdge = issued.Verify();
        issued.Authority.Store.MarkDeleted(key, now.AddSeconds(-secondsAgo));
        var result = issued.Verify();
        var generated = secondsAgo <= 60
            ? result.Succeeded.Label($"deleted {secondsAgo} s ago: still valid ({result.Error})")
            : IsRefused(result).Label($"deleted {secondsAgo} s ago: {result.Error ?? "authenticated"}");

        return atEdge.Succeeded.Label($"deleted 60 s ago: still valid ({atEdge.Error})")
            .And(IsRefused(pastEdge).Label($"deleted 61 s ago: {pastEdge.Error ?? "authenticated"}"))
            .And(generated);
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenStopsVerifyingOnceItsAccountOrBoundObjectIsRecreated(TokenScenario s, bool recreateAccount, Guid newUid)
    {
        using var issued = IssuedScenario.Issue(s);
        var uid = newUid.ToString();
        var store = issued.Authority.Store;
        if (recreateAccount || s.Binding.Kind is null)
        {
            store.AddServiceAccount(s.Namespace, s.ServiceAccount, uid);
            var r = issued.Verify();
            return (r.Failure == TokenVerificationFailure.ServiceAccountUidMismatch
                    && r.Error == $"service account UID does not match claim ({s.ServiceAccountUid})").Label(r.Error ?? "authenticated");
        }

        s.Binding.AddTo(store, s.Namespace, s.ServiceAccount);
        var live = s.Binding.Key(s.Namespace)!.Value;
        store.Set(store.ResolveAsync(live, default).AsTask().Result! with { Uid = uid });
        var label = s.Binding.Kind!.ToLowerInvariant();
        var result = issued.Verify();
        return (result.Failure == TokenVerificationFailure.BoundObjectUidMismatch
                && result.Error == $"{label} UID does not match service account {label} ref claim ({s.Binding.Uid})").Label(result.Error ?? "authenticated");
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property APodsNodeIsInformationOnlyAndNotLookedUp(TokenScenario s)
    {
        var onNode = new BindingCase(
            BoundObjectKinds.Pod,
            s.Binding.Kind is null ? "pod-a" : s.Binding.Name,
            s.Binding.Kind is null ? "pod-uid-a" : s.Binding.Uid,
            s.Binding.NodeName ?? "node-a",
            s.Binding.NodeUid ?? "node-uid-a");
        using var issued = IssuedScenario.Issue(s with { Binding = onNode });
        issued.Authority.Store.Remove(new BoundObjectKey(BoundObjectKinds.Node, null, onNode.NodeName!));
        var result = issued.Verify();
        return (result.Succeeded && result.User!.Extra![ServiceAccountUserInfo.NodeNameExtra].SequenceEqual([onNode.NodeName!])
                && result.User.Extra[ServiceAccountUserInfo.NodeUidExtra].SequenceEqual([onNode.NodeUid!])).Label(result.Error ?? "node info");
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = 100)]
    public Property ChangingAnySingleCharacterOfATokenMakesItFail(TokenScenario s, TokenMutation mutation)
    {
        using var issued = IssuedScenario.Issue(s);
        var changed = mutation.Apply(issued.Token);
        var result = issued.Verify(token: changed);
        return (changed != issued.Token && !result.Succeeded).Label($"{result.Outcome} {result.Error}");
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = Runs)]
    public Property ATokenSignedByAKeyOutsideTheSetFails(TokenScenario s, byte keyIndex)
    {
        using var issued = IssuedScenario.Issue(s);
        var foreign = ForeignKeys.Value[keyIndex % ForeignKeys.Value.Length];
        var payload = TokenForge.DecodePart(issued.Token, 1);

        // The foreign key's own kid is unknown: no candidate keys, no fallback to all keys.
        var unknownKid = issued.Verify(token: TokenForge.SignRaw(foreign, TokenForge.Header(foreign), payload));

        // The trusted key's kid with the foreign key's signature (and the trusted key's algorithm): a crypto error.
        var trustedHeader = $$"""{"alg":"{{foreign.Algorithm}}","kid":"{{KubernetesTestKeys.RsaKeyId}}"}""";
        var knownKid = issued.Verify(token: TokenForge.SignRaw(foreign, trustedHeader, payload));

        // No kid at all: every key is tried, none verifies.
        var noKid = issued.Verify(token: TokenForge.SignRaw(foreign, $$"""{"alg":"{{foreign.Algorithm}}"}""", payload));

        return (unknownKid.Failure == TokenVerificationFailure.InvalidSignature && unknownKid.Error == "invalid signature, no keys found").Label($"unknown kid: {unknownKid.Error}")
            .And((knownKid.Failure == TokenVerificationFailure.InvalidSignature && knownKid.Error == "go-jose/go-jose: error in cryptographic primitive").Label($"known kid: {knownKid.Error}"))
            .And((noKid.Failure == TokenVerificationFailure.InvalidSignature && noKid.Error == "go-jose/go-jose: error in cryptographic primitive").Label($"no kid: {noKid.Error}"));
    }
}
