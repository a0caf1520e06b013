using System.Net;
using System.Text;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class TokenRequestEndpointTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private const string Path = "/api/v1/namespaces/default/serviceaccounts/builder/token";

    private AuthorityServer Server => fixture.Server;

    public static TheoryData<string, string?, string, string[]> JsonBodies => new()
    {
        // name, Content-Type, body, expected audiences (empty = the API audiences, i.e. the issuer)
        { "kubectl 1.30 with nulls", "application/json", """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":["api"],"expirationSeconds":600,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""", ["api"] },
        { "kubectl 1.30 no flags", "application/json", """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""", [] },
        { "no Content-Type", null, """{"spec":{"audiences":["api","vault"]}}""", ["api", "vault"] },
        { ".NET client charset", "application/json; charset=utf-8", """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["api"],"expirationSeconds":600}}""", ["api"] },
        { "empty object", "application/json", "{}", [] },
        { "empty spec", "application/json", """{"spec":{}}""", [] },
        { "BOM and whitespace", "application/json", "\uFEFF  {\"spec\" : {\"audiences\" : [\"api\"]}}\n", ["api"] },
    };

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public async Task JsonBodiesIssueTokens(string name, string? contentType, string body, string[] audiences)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, Encoding.UTF8.GetBytes(body), contentType);
        Assert.True(response.StatusCode == HttpStatusCode.Created, name + ": " + await response.Content.ReadAsStringAsync());
        await AssertIssuedAsync(response, audiences.Length == 0 ? [Server.Issuer] : audiences);
    }

    [Fact]
    public async Task ChunkedBodyWithoutContentType()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, """{"spec":{"audiences":["api"]}}"""u8.ToArray(), null, chunked: true);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertIssuedAsync(response, ["api"]);
    }

    [Fact]
    public async Task ProtobufBodyFromKubectl132()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration), "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        var json = await AssertIssuedAsync(response, ["api", "vault"]);
        Assert.Equal(600, json.GetProperty("spec").GetProperty("expirationSeconds").GetInt64());
        var issued = DateTimeOffset.Parse(json.GetProperty("metadata").GetProperty("creationTimestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(json.GetProperty("status").GetProperty("expirationTimestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(600), expires - issued);
    }

    [Fact]
    public async Task ProtobufPodBindingWithAStaleUidIsAConflict()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, ProtobufFixtures.Bytes(ProtobufFixtures.PodBinding), "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on Pod \"web-0\": the UID in the bound object reference (1234) does not match the UID in record. The object might have been deleted and then recreated","reason":"Conflict","details":{"name":"web-0","kind":"Pod"},"code":409}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShortDurationIsTheApiServers422()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path, """{"spec":{"expirationSeconds":60}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes","reason":"Invalid","details":{"group":"authentication.k8s.io","kind":"TokenRequest","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 60: may not specify a duration less than 10 minutes","field":"spec.expirationSeconds"}]},"code":422}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MissingServiceAccountIs404()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/missing/token", "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"missing\" not found","reason":"NotFound","details":{"name":"missing","kind":"serviceaccounts"},"code":404}""",
            await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string?, string, string> BadBodies => new()
    {
        { "invalid JSON", "application/json", "{\"spec\":", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: invalid JSON" },
        { "array", "application/json", "[]", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: invalid JSON" },
        { "null", "application/json", "null", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: the body is not a JSON object" },
        { "empty", "application/json", "", "the request body is empty" },
        { "string duration", "application/json", """{"spec":{"expirationSeconds":"600"}}""", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: invalid JSON at $.spec.expirationSeconds" },
        { "wrong apiVersion", "application/json", """{"apiVersion":"v1","kind":"TokenRequest"}""", "the API version in the data (v1) does not match the expected API version (authentication.k8s.io/v1)" },
        { "wrong kind", "application/json", """{"apiVersion":"authentication.k8s.io/v1","kind":"Pod"}""", "the kind in the data (Pod) does not match the expected kind (TokenRequest)" },
        { "protobuf that is JSON", "application/vnd.kubernetes.protobuf", "{}", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]" },
        { "JSON that is YAML", null, "spec:\n  audiences: [api]\n", "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task UnparseableBodiesAre400(string name, string? contentType, string body, string messagePrefix)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, Encoding.UTF8.GetBytes(body), contentType);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, name);
        var status = await response.ReadJsonAsync();
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("v1", status.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal("BadRequest", status.GetProperty("reason").GetString());
        Assert.Equal(400, status.GetProperty("code").GetInt32());
        Assert.StartsWith(messagePrefix, status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("not a media type")]
    public async Task UnsupportedMediaTypesAre415(string contentType)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, "{}"u8.ToArray(), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf","reason":"UnsupportedMediaType","code":415}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodiesOverTheLimitAre413(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes("{\"spec\":{\"audiences\":[\"" + new string('a', 1024 * 1024) + "\"]}}");
        using var client = Server.CreateClient();
        using var response = await client.PostRawAsync(Path, body, "application/json", chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 1048576","reason":"RequestEntityTooLarge","code":413}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateQueryParametersAreAccepted()
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path + "?dryRun=All&fieldManager=kube-wire&fieldValidation=Strict&pretty=true", """{"spec":{"audiences":["api"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\n", text, StringComparison.Ordinal); // pretty
        await AssertIssuedAsync(response, ["api"]);
    }

    [Theory]
    [InlineData("dryRun=Some", "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\"")]
    [InlineData("fieldValidation=Loose", "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")]
    public async Task UnsupportedQueryValuesAre422(string query, string message)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync(Path + "?" + query, "{}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await response.ReadJsonAsync();
        Assert.Equal(message, status.GetProperty("message").GetString());
        Assert.Equal("FieldValueNotSupported", status.GetProperty("details").GetProperty("causes")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ProtobufAcceptStillAnswersJson()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf,application/json");
        using var response = await client.PostRawAsync(Path, ProtobufFixtures.Bytes(ProtobufFixtures.NoFlags), "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        var json = await AssertIssuedAsync(response, [Server.Issuer]);
        Assert.Equal(3600, json.GetProperty("spec").GetProperty("expirationSeconds").GetInt64());
    }

    [Fact]
    public async Task CappedExpirationAddsTheWarningHeader()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { MaxExpirationSeconds = 3600 });
        using var client = server.CreateClient();
        using var response = await client.PostJsonAsync(Path, """{"spec":{"expirationSeconds":7200}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"requested expiration of 7200 seconds shortened to 3600 seconds\""], response.Headers.GetValues("Warning"));
        var json = await response.ReadJsonAsync();
        Assert.Equal(3600, json.GetProperty("spec").GetProperty("expirationSeconds").GetInt64());
    }

    [Fact]
    public async Task OtherMethodsAndRoutesAreNotAnswered()
    {
        using var client = Server.CreateClient();
        using var get = await client.GetAsync(Path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using var other = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/secret", "{}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private async Task<System.Text.Json.JsonElement> AssertIssuedAsync(HttpResponseMessage response, string[] audiences)
    {
        var json = await response.ReadJsonAsync();
        Assert.Equal("TokenRequest", json.GetProperty("kind").GetString());
        Assert.Equal("authentication.k8s.io/v1", json.GetProperty("apiVersion").GetString());
        Assert.Equal("builder", json.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("default", json.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.EndsWith("Z", json.GetProperty("status").GetProperty("expirationTimestamp").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", json.GetProperty("metadata").GetProperty("creationTimestamp").GetString(), StringComparison.Ordinal);
        Assert.Equal(audiences, json.GetProperty("spec").GetProperty("audiences").EnumerateArray().Select(a => a.GetString()!).ToArray());
        var token = json.GetProperty("status").GetProperty("token").GetString()!;
        var verified = await Server.Verifier.VerifyAsync(token, audiences);
        Assert.True(verified.Succeeded, verified.Error);
        Assert.Equal("system:serviceaccount:default:builder", verified.User!.Username);
        return json;
    }
}
