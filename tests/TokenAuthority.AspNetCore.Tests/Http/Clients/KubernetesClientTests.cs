using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Clients;

/// <summary>The official .NET client (KubernetesClient 21.0.8) against the running authority over https.</summary>
public sealed class KubernetesClientTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private AuthorityServer Server => fixture.Server;

    private Kubernetes CreateClient(string? token = TestAuthenticationHandler.AdminToken) => new(new KubernetesClientConfiguration
    {
        Host = Server.BaseAddress.AbsoluteUri,
        AccessToken = token,
        SslCaCerts = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(Server.Certificate.RawData)),
    });

    private static Authenticationv1TokenRequest Request(V1TokenRequestSpec spec) => new()
    {
        ApiVersion = "authentication.k8s.io/v1",
        Kind = "TokenRequest",
        Spec = spec,
    };

    [Fact]
    public async Task AudiencesAndDuration()
    {
        using var client = CreateClient();
        var response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            Request(new V1TokenRequestSpec { Audiences = ["api", "vault"], ExpirationSeconds = 600 }), "builder", "default");
        Assert.Equal("TokenRequest", response.Kind);
        Assert.Equal(["api", "vault"], response.Spec.Audiences);
        Assert.Equal(600, response.Spec.ExpirationSeconds);
        Assert.Equal(DateTimeKind.Utc, response.Status.ExpirationTimestamp!.Value.Kind);
        var remaining = response.Status.ExpirationTimestamp.Value - DateTime.UtcNow;
        Assert.InRange(remaining.TotalSeconds, 590, 601);
        var verified = await Server.Verifier.VerifyAsync(response.Status.Token, ["vault"]);
        Assert.True(verified.Succeeded, verified.Error);
    }

    [Fact]
    public async Task BareRequestGetsTheDefaults()
    {
        using var client = CreateClient();
        var response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest(), "builder", "default");
        Assert.Equal([Server.Issuer], response.Spec.Audiences);
        Assert.Equal(3600, response.Spec.ExpirationSeconds);
    }

    [Theory]
    [InlineData("Pod", "web-0", "pod-uid-web-0", "authentication.kubernetes.io/pod-name")]
    [InlineData("Secret", "creds", "secret-uid-creds", null)]
    [InlineData("Node", "node-1", "node-uid-1", "authentication.kubernetes.io/node-name")]
    public async Task BoundTokens(string kind, string name, string uid, string? extraKey)
    {
        using var client = CreateClient();
        var response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            Request(new V1TokenRequestSpec { Audiences = ["api"], BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = kind, Name = name } }),
            "builder", "default", dryRun: "All", fieldManager: "kube-wire", fieldValidation: "Strict", pretty: true);
        Assert.Equal(kind, response.Spec.BoundObjectRef.Kind);
        Assert.Equal(name, response.Spec.BoundObjectRef.Name);

        var review = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = response.Status.Token, Audiences = ["api"] },
        });
        Assert.True(review.Status.Authenticated);
        Assert.Equal("system:serviceaccount:default:builder", review.Status.User.Username);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], review.Status.User.Groups);
        Assert.Equal(["api"], review.Status.Audiences);
        if (extraKey is not null)
        {
            Assert.Equal([name], review.Status.User.Extra[extraKey]);
        }

        var claims = (await Server.Verifier.VerifyAsync(response.Status.Token, ["api"])).Claims!;
        var bound = claims.BoundObject?.Kind == kind ? claims.BoundObject.Reference : null;
        Assert.Equal(name, bound!.Name);
        Assert.Equal(uid, bound.Uid); // the live object's uid, though the request named none
    }

    [Fact]
    public async Task ReviewOfAGarbageTokenIsUnauthenticated()
    {
        using var client = CreateClient();
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "garbage" } });
        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Equal("invalid bearer token", review.Status.Error);
    }

    public static TheoryData<string, string, V1TokenRequestSpec, HttpStatusCode, string, string> Errors => new()
    {
        { "missing", "default", new V1TokenRequestSpec(), HttpStatusCode.NotFound, "NotFound", "serviceaccounts \"missing\" not found" },
        { "builder", "default", new V1TokenRequestSpec { ExpirationSeconds = 60 }, HttpStatusCode.UnprocessableEntity, "Invalid", "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes" },
        { "builder", "default", new V1TokenRequestSpec { BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "web-0", Uid = "1234" } }, HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled on Pod \"web-0\": the UID in the bound object reference (1234) does not match the UID in record. The object might have been deleted and then recreated" },
        { "builder", "default", new V1TokenRequestSpec { BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "gone" } }, HttpStatusCode.NotFound, "NotFound", "pods \"gone\" not found" },
        { "builder", "default", new V1TokenRequestSpec { BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x" } }, HttpStatusCode.BadRequest, "BadRequest", "cannot bind token to object of type /v1, Kind=ConfigMap" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task ErrorsAreStatusObjects(string name, string ns, V1TokenRequestSpec spec, HttpStatusCode code, string reason, string message)
    {
        using var client = CreateClient();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(Request(spec), name, ns));
        Assert.Equal(code, e.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("v1", status.ApiVersion);
        Assert.Equal("Failure", status.Status);
        Assert.Equal(reason, status.Reason);
        Assert.Equal((int)code, status.Code);
        Assert.Equal(message, status.Message);
        if (code == HttpStatusCode.UnprocessableEntity)
        {
            var cause = Assert.Single(status.Details.Causes);
            Assert.Equal("spec.expirationSeconds", cause.Field);
            Assert.Equal("FieldValueInvalid", cause.Reason);
        }
    }

    [Fact]
    public async Task EmptyReviewTokenIsTheApiServers400()
    {
        using var client = CreateClient();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec() }));
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal(400, status.Code);
        Assert.Equal("token is required for TokenReview in authentication", status.Message);
    }

    [Fact]
    public async Task DeniedCallersGetStatusObjects()
    {
        using var anonymous = CreateClient(token: null);
        var unauthorized = await Assert.ThrowsAsync<HttpOperationException>(() =>
            anonymous.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest(), "builder", "default"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Response.StatusCode);
        Assert.Equal("Unauthorized", KubernetesJson.Deserialize<V1Status>(unauthorized.Response.Content).Reason);

        using var viewer = CreateClient(TestAuthenticationHandler.ViewerToken);
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() =>
            viewer.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "x" } }));
        var status = KubernetesJson.Deserialize<V1Status>(forbidden.Response.Content);
        Assert.Equal(403, status.Code);
        Assert.Equal("tokenreviews.authentication.k8s.io is forbidden: User \"viewer\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope", status.Message);
    }
}
