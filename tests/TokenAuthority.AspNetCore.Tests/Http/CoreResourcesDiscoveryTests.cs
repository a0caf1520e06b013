using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Server.Http;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary><see cref="TokenAuthorityEndpointOptions.CoreResources"/>: a host's own core resources in <c>/api/v1</c> discovery.</summary>
public sealed class CoreResourcesDiscoveryTests
{
    private const string TokenSubresource =
        """{"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io","version":"v1","kind":"TokenRequest","verbs":["create"]}""";

    [Fact]
    public async Task Without_core_resources_api_v1_lists_only_the_token_subresource()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions());
        using var client = server.CreateClient(bearerToken: null);

        using var response = await client.GetAsync("/api/v1");
        Assert.Equal("application/json", response.MediaType());
        Assert.Equal($$"""{"kind":"APIResourceList","groupVersion":"v1","resources":[{{TokenSubresource}}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Core_resources_are_listed_by_name_around_the_token_subresource_as_kube_apiserver_lists_them()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureServices = services => services.Configure<TokenAuthorityEndpointOptions>(o =>
            {
                o.CoreResources.Add(new KubernetesApiResource { Name = "serviceaccounts", Kind = "ServiceAccount", Namespaced = true, Verbs = ["create", "get"], ShortNames = ["sa"] });
                o.CoreResources.Add(new KubernetesApiResource { Name = "nodes", Kind = "Node", Verbs = ["list"] });
                o.CoreResources.Add(new KubernetesApiResource { Name = "secrets", SingularName = "secret", Kind = "Secret", Namespaced = true, Verbs = ["delete"] });
            }),
        });
        using var client = server.CreateClient(bearerToken: null);

        using var response = await client.GetAsync("/api/v1");
        Assert.Equal(
            "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
            + """{"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","verbs":["list"]},"""
            + """{"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["delete"]},"""
            + """{"name":"serviceaccounts","singularName":"serviceaccount","namespaced":true,"kind":"ServiceAccount","verbs":["create","get"],"shortNames":["sa"]},"""
            + TokenSubresource + "]}",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Pods", "Pod", "get", null, "CoreResources[\"Pods\"].Name must be a lower-case plural resource name such as \"pods\".")]
    [InlineData("serviceaccounts/token", "TokenRequest", "create", null, "CoreResources[\"serviceaccounts/token\"].Name must be a lower-case plural resource name")]
    [InlineData("pods", "pod", "get", null, "CoreResources[\"pods\"].Kind must be a kind such as \"Pod\", got \"pod\".")]
    [InlineData("pods", "Pod", "watch-all", null, "CoreResources[\"pods\"].Verbs must list one or more of create, delete, deletecollection, get, list, patch, update, watch.")]
    [InlineData("pods", "Pod", "", null, "CoreResources[\"pods\"].Verbs must list one or more of")]
    [InlineData("pods", "Pod", "get", "P O", "CoreResources[\"pods\"].ShortNames has an invalid or repeated short name \"P O\".")]
    public void An_invalid_core_resource_fails_at_start_up_saying_what_to_change(string name, string kind, string verb, string? shortName, string message)
    {
        var services = new ServiceCollection().AddTokenAuthorityEndpoints(o => o.CoreResources.Add(new KubernetesApiResource
        {
            Name = name,
            Kind = kind,
            Verbs = verb.Length == 0 ? [] : [verb],
            ShortNames = shortName is null ? [] : [shortName],
        }));
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenAuthorityEndpointOptions>>().Value);
        Assert.Contains("TokenAuthorityEndpointOptions." + message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_listed_twice_fails_at_start_up()
    {
        var services = new ServiceCollection().AddTokenAuthorityEndpoints(o =>
        {
            o.CoreResources.Add(new KubernetesApiResource { Name = "pods", Kind = "Pod", Verbs = ["get"] });
            o.CoreResources.Add(new KubernetesApiResource { Name = "pods", Kind = "Pod", Verbs = ["list"] });
        });
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenAuthorityEndpointOptions>>().Value);
        Assert.Contains("TokenAuthorityEndpointOptions.CoreResources[\"pods\"] is listed twice", e.Message, StringComparison.Ordinal);
    }
}
