using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class TokenReviewEndpointTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private const string Path = "/apis/authentication.k8s.io/v1/tokenreviews";

    private AuthorityServer Server => fixture.Server;

    private async Task<string> IssueAsync(params string[] audiences)
    {
        var issuer = Server.Services.GetRequiredService<ITokenIssuer>();
        var result = await issuer.CreateTokenAsync("default", "builder", new TokenRequest
        {
            Spec = new TokenRequestSpec
            {
                Audiences = audiences,
                BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
            },
        });
        return result.Response!.Status.Token;
    }

    [Fact]
    public async Task ValidTokenIsAuthenticatedAndTheSpecIsEchoed()
    {
        var token = await IssueAsync("api", "vault");
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path + "?fieldManager=kubectl-create&fieldValidation=Strict",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"audiences":["vault","other"],"token":"{{{token}}}"}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        var json = await response.ReadJsonAsync();
        Assert.Equal("TokenReview", json.GetProperty("kind").GetString());
        Assert.Equal("authentication.k8s.io/v1", json.GetProperty("apiVersion").GetString());
        Assert.Equal(token, json.GetProperty("spec").GetProperty("token").GetString());
        var status = json.GetProperty("status");
        Assert.True(status.GetProperty("authenticated").GetBoolean());
        Assert.Equal(["vault"], status.GetProperty("audiences").EnumerateArray().Select(a => a.GetString()));
        var user = status.GetProperty("user");
        Assert.Equal("system:serviceaccount:default:builder", user.GetProperty("username").GetString());
        Assert.Equal(AuthorityServer.ServiceAccountUid, user.GetProperty("uid").GetString());
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], user.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["web-0"], user.GetProperty("extra").GetProperty("authentication.kubernetes.io/pod-name").EnumerateArray().Select(g => g.GetString()));
        Assert.False(status.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task WrongAudienceIsTheWrappedError()
    {
        var token = await IssueAsync("api");
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path, $$$"""{"spec":{"token":"{{{token}}}","audiences":["other"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            $$$"""{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"{{{token}}}","audiences":["other"]},"status":{"user":{},"error":"[invalid bearer token, token audiences [\"api\"] is invalid for the target audiences [\"other\"]]"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnrecognisedTokenIsInvalidBearerToken()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, """{"spec":{"token":"not-a-jwt"}}"""u8.ToArray(), null, chunked: true);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"not-a-jwt"},"status":{"user":{},"error":"invalid bearer token"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RemovedPodInvalidatesTheToken()
    {
        var issuer = Server.Services.GetRequiredService<ITokenIssuer>();
        Server.Store.AddPod("default", "short-lived", "builder", uid: "pod-uid-short");
        var result = await issuer.CreateTokenAsync("default", "builder", new TokenRequest
        {
            Spec = new TokenRequestSpec { BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "short-lived" } },
        });
        Server.Store.Remove(new TokenAuthority.Binding.BoundObjectKey("Pod", "default", "short-lived"));
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path, $$$"""{"spec":{"token":"{{{result.Response!.Status.Token}}}"}}""");
        var json = await response.ReadJsonAsync();
        Assert.Equal("[invalid bearer token, service account token has been invalidated]", json.GetProperty("status").GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"spec":{"token":""}}""")]
    [InlineData("""{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","spec":{"token":null,"audiences":null}}""")]
    public async Task MissingTokenIsTheApiServers400(string body)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"token is required for TokenReview in authentication","reason":"BadRequest","code":400}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"token":"x"}}""", "the kind in the data (TokenRequest) does not match the expected kind (TokenReview)")]
    [InlineData("""{"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","spec":{"token":"x"}}""", "the API version in the data (authentication.k8s.io/v1beta1) does not match the expected API version (authentication.k8s.io/v1)")]
    [InlineData("""{"spec":{"token":42}}""", "TokenReview in version \"v1\" cannot be handled as a TokenReview: invalid JSON at $.spec.token (line 1, column 20)")]
    public async Task BadBodiesAre400(string body, string message)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await response.ReadJsonAsync();
        Assert.Equal(message, status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ProtobufReviewIsDecoded()
    {
        var token = await IssueAsync("api");
        byte[] spec = [0x0a, .. Varint(token.Length), .. Encoding.ASCII.GetBytes(token), 0x12, 0x03, .. "api"u8];
        byte[] review = [0x12, .. Varint(spec.Length), .. spec];
        byte[] typeMeta = [0x0a, 0x18, .. "authentication.k8s.io/v1"u8, 0x12, 0x0b, .. "TokenReview"u8];
        byte[] body = [.. "k8s\0"u8, 0x0a, (byte)typeMeta.Length, .. typeMeta, 0x12, .. Varint(review.Length), .. review];
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, body, "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.True(json.GetProperty("status").GetProperty("authenticated").GetBoolean());
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        var v = (uint)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        bytes.Add((byte)v);
        return [.. bytes];
    }
}
