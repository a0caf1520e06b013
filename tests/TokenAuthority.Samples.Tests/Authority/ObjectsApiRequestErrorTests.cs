using System.Text;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>The objects API words bad bodies and paths as the TokenRequest endpoint and kube-apiserver do (issue #14).</summary>
public sealed class ObjectsApiRequestErrorTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private RunningSamples Samples => fixture.Samples;

    [Theory]
    [InlineData("""{"metadata":{"name":5}}""", "Secret in version \"v1\" cannot be handled as a Secret: invalid JSON at $.metadata.name (line 1, column 22)")]
    [InlineData("""{"metadata":"x"}""", "Secret in version \"v1\" cannot be handled as a Secret: invalid JSON at $.metadata (line 1, column 16)")]
    [InlineData("{", "Secret in version \"v1\" cannot be handled as a Secret: invalid JSON (line 1, column 2)")]
    [InlineData("null", "Secret in version \"v1\" cannot be handled as a Secret: the body is not a JSON object")]
    public async Task A_body_that_does_not_decode_is_described_by_its_JSON_path(string body, string message)
    {
        var (status, answer) = await Samples.PostAsync("/api/v1/namespaces/default/secrets", body);
        Assert.Equal(400, status);
        Assert.Equal("BadRequest", answer!["reason"]!.GetValue<string>());
        Assert.Equal(message, answer["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_field_gets_a_Warning_299_header()
    {
        using var client = Samples.AdminClient();
        using var content = new StringContent("""{"metadata":{"name":"dup-a","name":"dup-b"}}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(Samples.AuthorityUrl, "/api/v1/namespaces/default/secrets"), content);
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(["299 - \"duplicate field \\\"metadata.name\\\"\""], response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task GenerateName_is_not_supported()
    {
        var (status, answer) = await Samples.PostAsync("/api/v1/namespaces/default/secrets", """{"metadata":{"generateName":"web-"}}""");
        Assert.Equal(422, status);
        Assert.Equal("Invalid", answer!["reason"]!.GetValue<string>());
        Assert.Equal("Secret \"\" is invalid: metadata.generateName: Invalid value: \"web-\": not supported", answer["message"]!.GetValue<string>());
    }
}
