using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TokenAuthority.Client.Tests.TestSupport;
using TokenAuthority.Model;

namespace TokenAuthority.Client.Tests;

public sealed class RemoteTokenRequesterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("client-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A kubeconfig of the shape the Authority sample writes (JSON, a second unused context first).</summary>
    private string WriteKubeconfig(string server = "https://127.0.0.1:8443", string token = "admin-token")
    {
        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(
                new JsonObject { ["name"] = "other", ["cluster"] = new JsonObject { ["server"] = "https://other.test" } },
                new JsonObject
                {
                    ["name"] = "token-authority",
                    ["cluster"] = new JsonObject
                    {
                        ["server"] = server,
                        ["certificate-authority-data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")),
                    },
                }),
            ["users"] = new JsonArray(
                new JsonObject { ["name"] = "other", ["user"] = new JsonObject { ["token"] = "wrong" } },
                new JsonObject { ["name"] = "token-authority-admin", ["user"] = new JsonObject { ["token"] = token } }),
            ["contexts"] = new JsonArray(
                new JsonObject { ["name"] = "other", ["context"] = new JsonObject { ["cluster"] = "other", ["user"] = "other" } },
                new JsonObject { ["name"] = "token-authority", ["context"] = new JsonObject { ["cluster"] = "token-authority", ["user"] = "token-authority-admin" } }),
            ["current-context"] = "token-authority",
        };
        var path = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static RemoteTokenRequester Requester(StubHandler authority, RemoteTokenAuthorityOptions options)
        => new(new HttpClient(authority), new RemoteTokenAuthorityEndpoint(Options.Create(options)));

    [Fact]
    public void Kubeconfig_current_context_gives_server_ca_and_token()
    {
        var config = Kubeconfig.Load(WriteKubeconfig());
        Assert.Equal(new Uri("https://127.0.0.1:8443"), config.Server);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", config.CertificateAuthorityPem, StringComparison.Ordinal);
        Assert.Equal("admin-token", config.Token);
    }

    [Fact]
    public async Task Posts_a_TokenRequest_and_reads_the_token_and_the_account_uid()
    {
        var authority = new StubHandler(() => new HttpResponseMessage(HttpStatusCode.Created)
        {
            Content = new StringContent("""
                {"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"name":"worker","namespace":"shop","uid":"8d2c-uid"},
                 "spec":{"audiences":["orders-api"],"expirationSeconds":600},
                 "status":{"token":"eyJ.token","expirationTimestamp":"2026-01-01T00:10:00Z"}}
                """, Encoding.UTF8, "application/json"),
        });
        var requester = Requester(authority, new RemoteTokenAuthorityOptions { KubeconfigFile = WriteKubeconfig() });

        var answer = await requester.RequestTokenAsync("shop", "worker", new TokenRequestSpec { Audiences = ["orders-api"], ExpirationSeconds = 600 });

        Assert.Equal("eyJ.token", answer.Status.Token);
        Assert.Equal("8d2c-uid", answer.Metadata.Uid);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero), answer.Status.ExpirationTimestamp);
        var sent = Assert.Single(authority.Received);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://127.0.0.1:8443/api/v1/namespaces/shop/serviceaccounts/worker/token", sent.Uri?.ToString());
        Assert.Equal("Bearer admin-token", sent.Authorization);
        var body = JsonNode.Parse(sent.Body!)!;
        Assert.Equal("orders-api", body["spec"]!["audiences"]![0]!.GetValue<string>());
        Assert.Equal(600, body["spec"]!["expirationSeconds"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_refusal_names_the_authority_message()
    {
        var authority = new StubHandler(() => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"worker\" not found","reason":"NotFound","code":404}""", Encoding.UTF8, "application/json"),
        });
        var requester = Requester(authority, new RemoteTokenAuthorityOptions { KubeconfigFile = WriteKubeconfig() });

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => requester.RequestTokenAsync("shop", "worker", new TokenRequestSpec()).AsTask());

        Assert.Equal("The token authority refused the TokenRequest for service account shop/worker: serviceaccounts \"worker\" not found (404 NotFound).", error.Message);
        Assert.Equal("NotFound", error.Status?.Reason);
    }

    [Fact]
    public async Task Bearer_token_file_overrides_the_kubeconfig_user_and_is_reread()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "first\n");
        var authority = new StubHandler(() => new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("Unauthorized") });
        var requester = Requester(authority, new RemoteTokenAuthorityOptions { KubeconfigFile = WriteKubeconfig(), BearerTokenFile = tokenFile });

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => requester.RequestTokenAsync("shop", "worker", new TokenRequestSpec()).AsTask());
        await File.WriteAllTextAsync(tokenFile, "second\n");
        await Assert.ThrowsAsync<TokenRequestException>(() => requester.RequestTokenAsync("shop", "worker", new TokenRequestSpec()).AsTask());

        Assert.Contains("Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Equal(["Bearer first", "Bearer second"], authority.Received.Select(r => r.Authorization));
    }

    [Fact]
    public void Incomplete_configuration_is_refused_with_what_to_set()
    {
        var result = new RemoteTokenAuthorityOptionsValidator().Validate(null, new RemoteTokenAuthorityOptions());
        Assert.True(result.Failed);
        Assert.Contains("ServerUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("BearerTokenFile", result.FailureMessage, StringComparison.Ordinal);

        var missing = new RemoteTokenAuthorityOptionsValidator().Validate(null, new RemoteTokenAuthorityOptions { KubeconfigFile = Path.Combine(_directory, "nope") });
        Assert.Contains("does not exist", missing.FailureMessage, StringComparison.Ordinal);

        var broken = Path.Combine(_directory, "broken");
        File.WriteAllText(broken, """{"clusters":[],"current-context":"x","contexts":[]}""");
        var unusable = new RemoteTokenAuthorityOptionsValidator().Validate(null, new RemoteTokenAuthorityOptions { KubeconfigFile = broken });
        Assert.Contains("has no entry 'x' in contexts", unusable.FailureMessage, StringComparison.Ordinal);

        Assert.True(new RemoteTokenAuthorityOptionsValidator().Validate(null, new RemoteTokenAuthorityOptions { KubeconfigFile = WriteKubeconfig() }).Succeeded);
    }
}
