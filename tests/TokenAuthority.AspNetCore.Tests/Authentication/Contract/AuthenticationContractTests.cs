using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Identity;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// What every way of authenticating a bound service-account token promises, run over each of them (as ASP.NET Core's
/// <c>SharedAuthenticationTests&lt;TOptions&gt;</c> runs one suite over every handler): the TokenAuthority scheme
/// (<see cref="LocalSchemeContractTests"/>), the TokenReview scheme (<see cref="TokenReviewSchemeContractTests"/>) and the
/// JwtBearer helper (<see cref="JwtBearerContractTests"/>). For unbound, pod-, secret-, node- and Workflow-bound tokens:
/// the same identity, the same claims (every (type, value) pair; the claims' issuer aside), the same roles and the same
/// policies' answers. For refused tokens: the same failure. The expected values are written out here, once, not taken
/// from any path. The one expected difference: the stateless JwtBearer path cannot see that a token's pod was deleted or
/// recreated, and accepts the token (<see cref="AuthenticationContractFixture.SeesBoundObjects"/>).
/// </summary>
public abstract class AuthenticationContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : AuthenticationContractFixture
{
    private const string Username = "system:serviceaccount:default:builder";

    protected TFixture Fixture { get; } = fixture;

    [Theory]
    [MemberData(nameof(AuthenticationContractCases.Bindings), MemberType = typeof(AuthenticationContractCases))]
    public async Task The_principal_has_the_same_claims(string binding)
    {
        var (token, jti) = await IssueAsync(binding);

        var caller = await CallerAsync(token);

        string[][] expected =
        [
            ["username", Username],
            ["uid", TestObjects.ServiceAccountUid],
            ["kubernetes.io/namespace", "default"],
            ["kubernetes.io/serviceaccount/name", "builder"],
            ["groups", "system:serviceaccounts"],
            ["groups", "system:serviceaccounts:default"],
            ["groups", "system:authenticated"],
            ["aud", "orders"],
            ["authentication.kubernetes.io/credential-id", "JTI=" + jti],
            .. BoundClaims(binding),
        ];
        Assert.Equal(Sorted(expected), Sorted(caller.Claims));
        Assert.Equal(Username, caller.Name);
        Assert.Single(caller.ClaimIssuers);
    }

    [Theory]
    [MemberData(nameof(AuthenticationContractCases.Bindings), MemberType = typeof(AuthenticationContractCases))]
    public async Task Roles_and_policies_answer_the_same(string binding)
    {
        var (token, _) = await IssueAsync(binding);

        var caller = await CallerAsync(token);
        using var podsOnly = await Fixture.GetAsync("/contract/pods-only", token);

        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["system:serviceaccounts"] = true,
                ["system:serviceaccounts:default"] = true,
                ["system:authenticated"] = true,
                ["system:serviceaccounts:kube-system"] = false,
                ["system:masters"] = false,
            },
            caller.Roles);
        var kind = Kind(binding);
        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["service account default/builder"] = true,
                ["service account default/other"] = false,
                ["service account kube-system/builder"] = false,
                ["namespace default"] = true,
                ["namespace kube-system"] = false,
                ["bound to Pod"] = kind == "Pod",
                ["bound to Secret"] = kind == "Secret",
                ["bound to Node"] = kind == "Node",
                ["bound to Workflow"] = kind == "Workflow",
            },
            caller.Policies);
        Assert.Equal(kind == "Pod" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, podsOnly.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AuthenticationContractCases.Bindings), MemberType = typeof(AuthenticationContractCases))]
    public async Task The_identity_is_the_same_and_writes_the_same_TokenReview_user(string binding)
    {
        var (token, jti) = await IssueAsync(binding);

        var caller = await CallerAsync(token);

        Assert.Equal(nameof(TokenVerificationOutcome.Authenticated), caller.Outcome);
        Assert.Equal(Username, caller.Username);
        Assert.Equal(Bound(binding), caller.BoundObject);
        Assert.Equal(binding is "pod" or "node" ? new ObjectIdentity("Node", TestObjects.NodeName, "node-uid-1") : null, caller.Node);
        Assert.Equal("JTI=" + jti, caller.CredentialId);
        Assert.Equal(["orders"], caller.Audiences);

        // status.user as the authority writes it: kube-apiserver's for unbound, pod and node; our three keys otherwise.
        var user = JsonNode.Parse(caller.User!)!;
        Assert.Equal(Username, (string?)user["username"]);
        Assert.Equal(TestObjects.ServiceAccountUid, (string?)user["uid"]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], user["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(ExtraKeys(binding), user["extra"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(AuthenticationContractCases.Refusals), MemberType = typeof(AuthenticationContractCases))]
    public async Task A_refused_token_gets_401_with_the_same_failure(string refusal)
    {
        var token = refusal switch
        {
            "expired" => await Fixture.IssueExpiredAsync(),
            "wrong audience" => await Fixture.IssueAsync(null, ["billing"]),
            "tampered signature" => Tokens.TamperPayload(await Fixture.IssueAsync(null, ["orders"])),
            "unknown issuer" => ResignedTokens.Resign(await Fixture.IssueAsync(null, ["orders"]), editPayload: p => p["iss"] = "https://other.example.com"),
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };
        var (failure, text) = refusal switch
        {
            "expired" => (TokenVerificationFailure.Expired, TokenVerificationErrors.Expired),
            "wrong audience" => (TokenVerificationFailure.InvalidAudience, TokenVerificationErrors.InvalidAudience(["billing"], ["orders"])),
            "tampered signature" => (TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.CryptoError),
            _ => (TokenVerificationFailure.NotRecognized, TokenVerificationResult.InvalidBearerToken),
        };

        using var response = await Fixture.GetAsync("/contract/caller", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(failure.ToString(), Assert.Single(response.Headers.GetValues(ContractEndpoints.FailureHeader)));
        var challenge = response.WwwAuthenticate();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge, StringComparison.Ordinal);
        // JwtBearer keeps IdentityModel's texts, except for another audience, where IdentityModel names none.
        if (Fixture.WritesKubernetesTexts || refusal == "wrong audience")
        {
            Assert.Equal($"Bearer error=\"invalid_token\", error_description={TokenAuthority.Validation.WwwAuthenticateHeader.Quote(text)}", challenge);
        }
    }

    [Fact]
    public async Task A_deleted_pods_token_is_refused_where_the_path_sees_bound_objects_and_accepted_where_it_cannot()
    {
        var pod = Fixture.Store.AddPod(TestObjects.Namespace, "doomed-" + Guid.NewGuid().ToString("N")[..8], TestObjects.ServiceAccountName, TestObjects.NodeName, "doomed-uid");
        var token = await Fixture.IssueAsync(Reference(pod.Kind, pod.Name), ["orders"]);
        using (var before = await Fixture.GetAsync("/contract/caller", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Fixture.Store.Remove(pod.Key);
        using var after = await Fixture.GetAsync("/contract/caller", token);

        if (Fixture.SeesBoundObjects)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Equal(nameof(TokenVerificationFailure.BoundObjectInvalidated), Assert.Single(after.Headers.GetValues(ContractEndpoints.FailureHeader)));
            Assert.Equal("Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"", after.WwwAuthenticate());
        }
        else
        {
            // The one documented difference: a stateless path cannot know the pod is gone; the token lives until it expires.
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
    }

    [Fact]
    public async Task A_recreated_pods_token_is_refused_where_the_path_sees_bound_objects_and_accepted_where_it_cannot()
    {
        var name = "reborn-" + Guid.NewGuid().ToString("N")[..8];
        var pod = Fixture.Store.AddPod(TestObjects.Namespace, name, TestObjects.ServiceAccountName, TestObjects.NodeName, "first-uid");
        var token = await Fixture.IssueAsync(Reference(pod.Kind, pod.Name), ["orders"]);
        using (var before = await Fixture.GetAsync("/contract/caller", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Fixture.Store.AddPod(TestObjects.Namespace, name, TestObjects.ServiceAccountName, TestObjects.NodeName, "second-uid");
        using var after = await Fixture.GetAsync("/contract/caller", token);

        if (Fixture.SeesBoundObjects)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Equal(nameof(TokenVerificationFailure.BoundObjectUidMismatch), Assert.Single(after.Headers.GetValues(ContractEndpoints.FailureHeader)));
            Assert.Equal("Bearer error=\"invalid_token\", error_description=\"pod UID does not match service account pod ref claim (first-uid)\"", after.WwwAuthenticate());
        }
        else
        {
            // The same difference: the recreated pod's token is still the old pod's, and JwtBearer cannot tell.
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
    }

    private static BoundObjectReference Reference(string kind, string name) =>
        new() { Kind = kind, ApiVersion = kind == "Workflow" ? "example.com/v1" : "v1", Name = name };

    private static string? Kind(string binding) => Bound(binding)?.Kind;

    /// <summary>The bound object of each binding, as the seeded cluster has it.</summary>
    private static ObjectIdentity? Bound(string binding) => binding switch
    {
        "pod" => new("Pod", TestObjects.PodName, TestObjects.PodUid),
        "secret" => new("Secret", "creds", "secret-uid-creds"),
        "node" => new("Node", TestObjects.NodeName, "node-uid-1"),
        "workflow" => new("Workflow", "wf-1", "wf-uid-1"),
        _ => null,
    };

    private static string[][] BoundClaims(string binding)
    {
        if (Bound(binding) is not { } bound)
        {
            return [];
        }

        string[][] node = [["authentication.kubernetes.io/node-name", TestObjects.NodeName], ["authentication.kubernetes.io/node-uid", "node-uid-1"]];
        string[][] common = [["kubernetes.io/bound-object-kind", bound.Kind], ["kubernetes.io/bound-object-name", bound.Name], ["kubernetes.io/bound-object-uid", bound.Uid]];
        return binding switch
        {
            "pod" => [.. common, ["authentication.kubernetes.io/pod-name", bound.Name], ["authentication.kubernetes.io/pod-uid", bound.Uid], .. node],
            "node" => [.. common, .. node],
            _ => common,
        };
    }

    private static string[] ExtraKeys(string binding) => binding switch
    {
        "unbound" => [ServiceAccountUserInfo.CredentialIdExtra],
        "pod" => [ServiceAccountUserInfo.CredentialIdExtra, ServiceAccountUserInfo.NodeNameExtra, ServiceAccountUserInfo.NodeUidExtra, ServiceAccountUserInfo.PodNameExtra, ServiceAccountUserInfo.PodUidExtra],
        "node" => [ServiceAccountUserInfo.CredentialIdExtra, ServiceAccountUserInfo.NodeNameExtra, ServiceAccountUserInfo.NodeUidExtra],
        _ => [ServiceAccountUserInfo.CredentialIdExtra, ServiceAccountUserInfo.BoundObjectKindExtra, ServiceAccountUserInfo.BoundObjectNameExtra, ServiceAccountUserInfo.BoundObjectUidExtra],
    };

    private static string[] Sorted(string[][] claims) => [.. claims.Select(c => c[0] + " = " + c[1]).Order(StringComparer.Ordinal)];

    /// <summary>A token for <c>billing</c> and <c>orders</c> (only <c>orders</c> is accepted) with the binding, and its jti.</summary>
    private async Task<(string Token, string Jti)> IssueAsync(string binding)
    {
        var bound = Bound(binding);
        var token = await Fixture.IssueAsync(bound is null ? null : Reference(bound.Kind, bound.Name), ["billing", "orders"]);
        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]))!;
        var jti = (string)payload["jti"]!;
        return (token, jti);
    }

    private async Task<ContractCaller> CallerAsync(string token)
    {
        using var response = await Fixture.GetAsync("/contract/caller", token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.WwwAuthenticate()}");
        return (await response.Content.ReadFromJsonAsync<ContractCaller>())!;
    }
}
