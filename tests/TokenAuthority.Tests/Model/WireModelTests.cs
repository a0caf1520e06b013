using System.Text.Json;
using TokenAuthority.Model;

namespace TokenAuthority.Tests.Model;

/// <summary>Spec §1.2, §1.8 and §4: the JSON of TokenRequest and TokenReview as Kubernetes writes and clients send it.</summary>
public class WireModelTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static string Write(TokenRequest value) => JsonSerializer.Serialize(value, KubernetesJsonContext.Default.TokenRequest);

    private static string Write(TokenReview value) => JsonSerializer.Serialize(value, KubernetesJsonContext.Default.TokenReview);

    private static TokenRequest ReadRequest(string json) => JsonSerializer.Deserialize(json, KubernetesJsonContext.Default.TokenRequest)!;

    [Fact]
    public void AnEmptyTokenRequestIsWrittenAsClientGoWritesIt() =>
        Assert.Equal(
            """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""",
            Write(new TokenRequest()));

    [Fact]
    public void AResponseIsWrittenInKubernetesFieldOrder() =>
        Assert.Equal(
            """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"name":"default","namespace":"default","uid":"sa-uid","creationTimestamp":"2026-07-24T12:00:00Z"},"spec":{"audiences":["https://kubernetes.default.svc.cluster.local"],"expirationSeconds":3600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"pod-uid"}},"status":{"token":"eyJ.x.y","expirationTimestamp":"2026-07-24T13:00:00Z"}}""",
            Write(new TokenRequest
            {
                Metadata = new ObjectMeta { Name = "default", Namespace = "default", Uid = "sa-uid", CreationTimestamp = Noon.AddTicks(1234567) },
                Spec = new TokenRequestSpec
                {
                    Audiences = ["https://kubernetes.default.svc.cluster.local"],
                    ExpirationSeconds = 3600,
                    BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "p", Uid = "pod-uid" },
                },
                Status = new TokenRequestStatus { Token = "eyJ.x.y", ExpirationTimestamp = Noon.AddHours(1).ToOffset(TimeSpan.FromHours(2)) },
            }));

    [Theory]
    [InlineData("""{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""")]
    [InlineData("""{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"metadata":null,"spec":null,"status":null}""")]
    [InlineData("""{"spec":{}}""")]
    public void EmptyRequestsWithExplicitNullsAreAccepted(string json)
    {
        var request = ReadRequest(json);

        Assert.Null(request.Metadata.Name);
        Assert.Null(request.Metadata.CreationTimestamp);
        Assert.Null(request.Spec.Audiences);
        Assert.Null(request.Spec.ExpirationSeconds);
        Assert.Null(request.Spec.BoundObjectRef);
        Assert.Equal(string.Empty, request.Status.Token);
    }

    [Fact]
    public void AKubectlRequestWithEveryFlagIsRead()
    {
        var request = ReadRequest("""{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":["a","b"],"expirationSeconds":600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"u"}},"status":{"token":"","expirationTimestamp":null}}""");

        Assert.Equal(["a", "b"], request.Spec.Audiences);
        Assert.Equal(600, request.Spec.ExpirationSeconds);
        Assert.Equal(new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "p", Uid = "u" }, request.Spec.BoundObjectRef);
    }

    [Theory]
    [InlineData("2026-07-24T12:00:00Z")]
    [InlineData("2026-07-24T12:00:00z")]
    [InlineData("2026-07-24T14:00:00+02:00")]
    [InlineData("2026-07-24T05:00:00-07:00")]
    [InlineData("2026-07-24T12:00:00.999999Z")]
    [InlineData("2026-07-24T12:00:00.5+00:00")]
    public void TimestampsWithAnOffsetAreAcceptedAndWrittenInUtcWholeSeconds(string timestamp)
    {
        var request = ReadRequest($$$"""{"metadata":{"creationTimestamp":"{{{timestamp}}}"}}""");

        Assert.Equal(TimeSpan.Zero, request.Metadata.CreationTimestamp!.Value.Offset);
        Assert.Equal(Noon, request.Metadata.CreationTimestamp.Value.AddTicks(-(request.Metadata.CreationTimestamp.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Contains("\"creationTimestamp\":\"2026-07-24T12:00:00Z\"", Write(request));
    }

    [Theory]
    [InlineData("2026-07-24T12:00:00")]
    [InlineData("2026-07-24 12:00:00")]
    [InlineData("2026-07-24")]
    [InlineData("yesterday")]
    public void TimestampsWithoutAnOffsetAreRejected(string timestamp) =>
        Assert.Throws<JsonException>(() => ReadRequest($$$"""{"status":{"expirationTimestamp":"{{{timestamp}}}"}}"""));

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":"3600"}}""")]
    [InlineData("""{"spec":{"audiences":"api"}}""")]
    [InlineData("""{"spec":{"expirationSeconds":3600,}}""")]
    [InlineData("""{"spec":{/* c */}}""")]
    public void MalformedBodiesAreJsonErrors(string json) => Assert.Throws<JsonException>(() => ReadRequest(json));

    [Fact]
    public void FieldNamesAreCaseSensitive() => Assert.Null(ReadRequest("""{"Spec":{"ExpirationSeconds":600}}""").Spec.ExpirationSeconds);

    [Fact]
    public void ASuccessfulReviewIsWrittenAsKubernetesDoes()
    {
        var review = new TokenReview
        {
            Spec = new TokenReviewSpec { Token = "t", Audiences = ["api"] },
            Status = new TokenReviewStatus
            {
                Authenticated = true,
                User = new UserInfo
                {
                    Username = "system:serviceaccount:myns:mysvcacct",
                    Uid = "mysvcacct-uid",
                    Groups = ["system:serviceaccounts", "system:serviceaccounts:myns", "system:authenticated"],
                    Extra = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
                    {
                        ["authentication.kubernetes.io/pod-uid"] = ["mypod-uid"],
                        ["authentication.kubernetes.io/credential-id"] = ["JTI=fixed"],
                        ["authentication.kubernetes.io/pod-name"] = ["mypod"],
                    },
                },
                Audiences = ["api"],
            },
        };

        Assert.Equal(
            """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"t","audiences":["api"]},"status":{"authenticated":true,"user":{"username":"system:serviceaccount:myns:mysvcacct","uid":"mysvcacct-uid","groups":["system:serviceaccounts","system:serviceaccounts:myns","system:authenticated"],"extra":{"authentication.kubernetes.io/credential-id":["JTI=fixed"],"authentication.kubernetes.io/pod-name":["mypod"],"authentication.kubernetes.io/pod-uid":["mypod-uid"]}},"audiences":["api"]}}""",
            Write(review));
    }

    [Fact]
    public void AFailedReviewOmitsAuthenticatedAndAudiencesAndKeepsAnEmptyUser() =>
        Assert.Equal(
            """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"t"},"status":{"user":{},"error":"[invalid bearer token, service account token has been invalidated]"}}""",
            Write(new TokenReview
            {
                Spec = new TokenReviewSpec { Token = "t" },
                Status = new TokenReviewStatus { Error = "[invalid bearer token, service account token has been invalidated]" },
            }));

    [Fact]
    public void AReviewRequestIsRead()
    {
        var review = JsonSerializer.Deserialize("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"abc","audiences":["x"]}}""", KubernetesJsonContext.Default.TokenReview)!;

        Assert.Equal("abc", review.Spec.Token);
        Assert.Equal(["x"], review.Spec.Audiences);
        Assert.False(review.Status.Authenticated);
    }
}
