using TokenAuthority.Identity;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Issuing;

/// <summary>Laws of what an issued token says, over generated requests.</summary>
public class IssuedTokenProperties
{
    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = 40)]
    public Property ATokenSaysExactlyWhatWasRequested(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s, referenceWithUid: s.Lifetime % 2 == 0);
        var payload = TokenForge.Payload(issued.Token);
        var k8s = payload.GetProperty("kubernetes.io");
        var iat = payload.GetProperty("iat").GetInt64();
        var expectedMembers = new List<string> { "namespace", "serviceaccount" };
        if (s.Binding.Kind is not null)
        {
            expectedMembers.Add(s.Binding.Kind.ToLowerInvariant());
        }

        if (s.Binding.NodeName is not null)
        {
            expectedMembers.Add("node");
        }

        expectedMembers.Sort(StringComparer.Ordinal);

        return (payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).SequenceEqual(s.Audiences)).Label("aud is the requested list")
            .And((iat == issued.IssuedAt.ToUnixTimeSeconds() && payload.GetProperty("nbf").GetInt64() == iat).Label("iat = nbf = now"))
            .And((payload.GetProperty("exp").GetInt64() - iat == s.Lifetime).Label("exp - iat = lifetime"))
            .And((payload.GetProperty("sub").GetString() == $"system:serviceaccount:{s.Namespace}:{s.ServiceAccount}").Label("sub"))
            .And((k8s.GetProperty("namespace").GetString() == s.Namespace).Label("namespace"))
            .And(Ref(k8s, "serviceaccount", s.ServiceAccount, s.ServiceAccountUid).Label("serviceaccount"))
            .And(k8s.EnumerateObject().Select(p => p.Name).SequenceEqual(expectedMembers).Label($"members {string.Join(",", k8s.EnumerateObject().Select(p => p.Name))}"))
            .And((s.Binding.Kind is null || Ref(k8s, s.Binding.Kind.ToLowerInvariant(), s.Binding.Name, s.Binding.Uid)).Label("bound object"))
            .And((s.Binding.NodeName is null || Ref(k8s, "node", s.Binding.NodeName, s.Binding.NodeUid!)).Label("pod's node"))
            .And(SortedEverywhere(payload).Label("keys sorted at every level"));
    }

    [Property(Arbitrary = new[] { typeof(Arbs) }, MaxTest = 40)]
    public Property TheVerifiedUserIsTheAccountWithItsBindingExtras(TokenScenario s)
    {
        using var issued = IssuedScenario.Issue(s);
        var result = issued.Verify();
        var user = result.User!;
        var extra = user.Extra!;
        var podOk = s.Binding.Kind == BoundObjectKinds.Pod
            ? extra[ServiceAccountUserInfo.PodNameExtra].SequenceEqual([s.Binding.Name]) && extra[ServiceAccountUserInfo.PodUidExtra].SequenceEqual([s.Binding.Uid])
            : !extra.ContainsKey(ServiceAccountUserInfo.PodNameExtra) && !extra.ContainsKey(ServiceAccountUserInfo.PodUidExtra);
        var (nodeName, nodeUid) = s.Binding.Kind == BoundObjectKinds.Node ? (s.Binding.Name, s.Binding.Uid) : (s.Binding.NodeName, s.Binding.NodeUid);
        var nodeOk = nodeName is null
            ? !extra.ContainsKey(ServiceAccountUserInfo.NodeNameExtra) && !extra.ContainsKey(ServiceAccountUserInfo.NodeUidExtra)
            : extra[ServiceAccountUserInfo.NodeNameExtra].SequenceEqual([nodeName]) && extra[ServiceAccountUserInfo.NodeUidExtra].SequenceEqual([nodeUid!]);
        var jti = TokenForge.Payload(issued.Token).GetProperty("jti").GetString();

        return result.Succeeded.Label(result.Error ?? "authenticated")
            .And((user.Username == $"system:serviceaccount:{s.Namespace}:{s.ServiceAccount}" && user.Uid == s.ServiceAccountUid).Label("username and uid"))
            .And(user.Groups!.SequenceEqual(["system:serviceaccounts", $"system:serviceaccounts:{s.Namespace}", "system:authenticated"]).Label("groups"))
            .And(extra[ServiceAccountUserInfo.CredentialIdExtra].SequenceEqual(["JTI=" + jti]).Label("credential id"))
            .And(podOk.Label("pod extras"))
            .And(nodeOk.Label("node extras"));
    }

    [Property(MaxTest = 300)]
    public Property AnyAudienceStringSurvivesGoEscapingAndNeverAppearsRaw(NonNull<string> audience)
    {
        var text = audience.Get;
        var payload = ClaimsSerializer.Serialize(TokenForge.Claims(DateTimeOffset.UnixEpoch, 600, text));
        var read = JsonDocument.Parse(payload).RootElement.GetProperty("aud")[0].GetString();
        var raw = payload.Any(c => c is '<' or '>' or '&' or '\u2028' or '\u2029' || c < ' ');

        return (read == text).Label("round-trips").And((!raw).Label("no raw < > & U+2028 U+2029 or control characters"));
    }

    private static bool Ref(JsonElement parent, string member, string name, string uid) =>
        parent.GetProperty(member).GetRawText() == JsonSerializer.Serialize(new { name, uid });

    private static bool SortedEverywhere(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Select(p => p.Name).SequenceEqual(e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal))
            && e.EnumerateObject().All(p => SortedEverywhere(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().All(SortedEverywhere),
        _ => true,
    };
}
