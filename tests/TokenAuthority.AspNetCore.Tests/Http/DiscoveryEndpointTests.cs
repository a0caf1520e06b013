using TokenAuthority.Tests.TestSupport;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Discovery;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class DiscoveryEndpointTests
{
    [Fact]
    public async Task OpenIdDocumentsAreServedExactlyAndAnonymously()
    {
        // Even with a fallback policy that demands authentication and an admin-only API.
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { FallbackRequiresAuthentication = true });
        var metadata = server.Services.GetRequiredService<IOpenIdMetadataProvider>().Current;
        using var client = server.CreateClient(bearerToken: null);

        using var configuration = await client.GetAsync("/.well-known/openid-configuration?ignored=1");
        Assert.Equal(HttpStatusCode.OK, configuration.StatusCode);
        Assert.Equal("application/json", configuration.Content.Headers.ContentType!.ToString());
        Assert.Equal("public, max-age=3600", configuration.Headers.CacheControl!.ToString());
        Assert.Equal(metadata.ConfigurationJson, await configuration.Content.ReadAsStringAsync());
        Assert.Equal(
            $$"""{"issuer":"{{server.Issuer}}","jwks_uri":"{{server.Issuer}}/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}""",
            metadata.ConfigurationJson);

        using var jwks = await client.GetAsync("/openid/v1/jwks");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Equal("application/jwk-set+json", jwks.Content.Headers.ContentType!.ToString());
        Assert.Equal("public, max-age=3600", jwks.Headers.CacheControl!.ToString());
        var keys = await jwks.ReadJsonAsync();
        Assert.Equal(KubernetesTestKeys.RsaKeyId, keys.GetProperty("keys")[0].GetProperty("kid").GetString());
        Assert.Equal(metadata.KeySetJson, await jwks.Content.ReadAsStringAsync());

        foreach (var path in new[] { "/version", "/api", "/api/v1", "/apis", "/apis/authentication.k8s.io", "/apis/authentication.k8s.io/v1", "/openapi/v2" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
        }

        using var protectedApi = await client.PostJsonAsync("/apis/authentication.k8s.io/v1/tokenreviews", """{"spec":{"token":"x"}}""");
        Assert.Equal(HttpStatusCode.Unauthorized, protectedApi.StatusCode);
    }

    [Fact]
    public async Task KubectlDiscoveryDocuments()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { KubernetesVersion = "v1.31.4" });
        using var client = server.CreateClient(bearerToken: null);

        var version = await (await client.GetAsync("/version?timeout=5s")).ReadJsonAsync();
        Assert.Equal("1", version.GetProperty("major").GetString());
        Assert.Equal("31", version.GetProperty("minor").GetString());
        Assert.Equal("v1.31.4", version.GetProperty("gitVersion").GetString());

        using var apis = await client.GetAsync("/apis?timeout=32s");
        Assert.Equal("application/json", apis.MediaType());
        Assert.Equal(
            """{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"authentication.k8s.io","versions":[{"groupVersion":"authentication.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"authentication.k8s.io/v1","version":"v1"}}]}""",
            await apis.Content.ReadAsStringAsync());

        using var group = await client.GetAsync("/apis/authentication.k8s.io/v1");
        Assert.Equal(
            """{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authentication.k8s.io/v1","resources":[{"name":"tokenreviews","singularName":"tokenreview","namespaced":false,"kind":"TokenReview","verbs":["create"]}]}""",
            await group.Content.ReadAsStringAsync());

        using var api = await client.GetAsync("/api");
        Assert.Equal(
            $$"""{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:{{server.BaseAddress.Port}}"}]}""",
            await api.Content.ReadAsStringAsync());

        using var openApi = await client.GetAsync("/openapi/v2?timeout=32s");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", openApi.Content.Headers.ContentType!.ToString());
        Assert.Empty(await openApi.Content.ReadAsByteArrayAsync());

        using var v3 = await client.GetAsync("/openapi/v3");
        Assert.Equal(HttpStatusCode.NotFound, v3.StatusCode);
    }

    [Theory]
    [InlineData("1.33")]
    [InlineData("v1.33")]
    [InlineData("")]
    public async Task InvalidVersionFailsAtStartUp(string version)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => AuthorityServer.StartAsync(new AuthorityServerOptions { KubernetesVersion = version }));
        Assert.Contains("KubernetesVersion must look like \"v1.33.0\"", e.Message, StringComparison.Ordinal);
    }
}
