using System.Net;
using TokenAuthority.Server.Http;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class FieldValidationTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private const string TokenPath = "/api/v1/namespaces/default/serviceaccounts/builder/token";
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    [Theory]
    [InlineData("""{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null,"labels":{"a":"b"}},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}""")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-0","uid":""}}}""")]
    public void KnownFieldsPass(string json) =>
        Assert.Empty(JsonFieldValidator.Check(System.Text.Encoding.UTF8.GetBytes(json), JsonFieldSchema.TokenRequest));

    [Fact]
    public void UnknownAndDuplicateFieldsAreNamedByPath() =>
        Assert.Equal(
            ["unknown field \"spec.expirationSecond\"", "unknown field \"spec.boundObjectRef.namespace\"", "duplicate field \"spec.audiences\"", "unknown field \"extra\""],
            JsonFieldValidator.Check("""{"spec":{"expirationSecond":60,"audiences":["a"],"boundObjectRef":{"namespace":"x"},"audiences":["b"]},"extra":{"deep":{"x":1}}}"""u8, JsonFieldSchema.TokenRequest));

    [Fact]
    public async Task StrictRejectsUnknownFields()
    {
        using var client = fixture.Server.CreateClient();
        using var response = await client.PostJsonAsync(TokenPath + "?fieldValidation=Strict", """{"spec":{"expirationSecond":600,"audience":["api"]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"strict decoding error: unknown field \"spec.expirationSecond\", unknown field \"spec.audience\"","reason":"BadRequest","code":400}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WarnIsTheDefault()
    {
        using var client = fixture.Server.CreateClient();
        using var response = await client.PostJsonAsync(ReviewPath, """{"spec":{"token":"x","audience":["api"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.audience\\\"\""], response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task IgnoreIsSilent()
    {
        using var client = fixture.Server.CreateClient();
        using var response = await client.PostJsonAsync(TokenPath + "?fieldValidation=Ignore", """{"spec":{"audience":["api"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }
}
