using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Client.Tests.TestSupport;

namespace TokenAuthority.Client.Tests;

public sealed class ServiceAccountTokenHandlerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeRequester _authority;

    public ServiceAccountTokenHandlerTests() => _authority = new FakeRequester(_time);

    private HttpClient Client(StubHandler callee, out ServiceProvider services)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(_time);
        collection.AddTokenAuthorityClient(o => (o.Namespace, o.ServiceAccountName) = ("shop", "worker"))
            .UseRequester(_ => _authority);
        collection.AddHttpClient("orders", c => c.BaseAddress = new Uri("https://orders.test/"))
            .AddServiceAccountToken("orders-api", o => o.ExpirationSeconds = 600)
            .ConfigurePrimaryHttpMessageHandler(() => callee);
        services = collection.BuildServiceProvider();
        return services.GetRequiredService<IHttpClientFactory>().CreateClient("orders");
    }

    [Fact]
    public async Task Attaches_the_token_for_the_callee_audience()
    {
        var callee = new StubHandler(StubHandler.Ok);
        using var client = Client(callee, out var services);
        using var _ = services;

        using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));
        using var again = await client.GetAsync(new Uri("orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-1"], callee.Received.Select(r => r.Authorization));
        Assert.Equal(1, _authority.Calls);
    }

    [Fact]
    public async Task Retries_once_with_a_new_token_on_401_invalid_token()
    {
        var callee = new StubHandler(StubHandler.InvalidToken, StubHandler.Ok);
        using var client = Client(callee, out var services);
        using var _ = services;

        using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], callee.Received.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Retries_at_most_once()
    {
        var callee = new StubHandler(StubHandler.InvalidToken);
        using var client = Client(callee, out var services);
        using var _ = services;

        using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, callee.Received.Count);
    }

    [Fact]
    public async Task Does_not_retry_on_403()
    {
        var callee = new StubHandler(StubHandler.Forbidden, StubHandler.Ok);
        using var client = Client(callee, out var services);
        using var _ = services;

        using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(callee.Received);
        Assert.Equal(1, _authority.Calls);
    }

    [Fact]
    public async Task Does_not_retry_on_401_without_invalid_token()
    {
        var callee = new StubHandler(() => new HttpResponseMessage(HttpStatusCode.Unauthorized), StubHandler.Ok);
        using var client = Client(callee, out var services);
        using var _ = services;

        using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(callee.Received);
    }

    [Fact]
    public async Task Retries_a_post_whose_body_is_in_memory_but_not_a_streamed_one()
    {
        var callee = new StubHandler(StubHandler.InvalidToken, StubHandler.Ok);
        using var client = Client(callee, out var services);
        using var _ = services;

        using (var buffered = await client.PostAsync(new Uri("orders", UriKind.Relative), new StringContent("{\"item\":1}")))
        {
            Assert.Equal(HttpStatusCode.OK, buffered.StatusCode);
        }
        Assert.Equal(["{\"item\":1}", "{\"item\":1}"], callee.Received.Select(r => r.Body));

        var jsonCallee = new StubHandler(StubHandler.InvalidToken, StubHandler.Ok);
        using var jsonClient = Client(jsonCallee, out var jsonServices);
        using var ___ = jsonServices;
        using (var json = await jsonClient.PostAsJsonAsync(new Uri("orders", UriKind.Relative), new { item = 3 }))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        }
        Assert.Equal(["{\"item\":3}", "{\"item\":3}"], jsonCallee.Received.Select(r => r.Body));

        var once = new StubHandler(StubHandler.InvalidToken, StubHandler.Ok);
        using var client2 = Client(once, out var services2);
        using var __ = services2;
        using var stream = new MemoryStream("{\"item\":2}"u8.ToArray());
        using var streamed = await client2.PostAsync(new Uri("orders", UriKind.Relative), new StreamContent(stream));
        Assert.Equal(HttpStatusCode.Unauthorized, streamed.StatusCode);
        Assert.Single(once.Received);
    }

    [Fact]
    public async Task Sends_the_projected_token_file_when_configured()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "projected-1\n");
            var callee = new StubHandler(StubHandler.Ok);
            var collection = new ServiceCollection();
            collection.AddSingleton<TimeProvider>(_time);
            collection.AddHttpClient("orders", c => c.BaseAddress = new Uri("https://orders.test/"))
                .AddServiceAccountToken("orders-api", o => o.TokenFile = path)
                .ConfigurePrimaryHttpMessageHandler(() => callee);
            using var services = collection.BuildServiceProvider();
            using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("orders");

            using var response = await client.GetAsync(new Uri("orders", UriKind.Relative));

            Assert.Equal("Bearer projected-1", Assert.Single(callee.Received).Authorization);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_caller_identity_is_reported_when_the_client_is_built()
    {
        var collection = new ServiceCollection();
        collection.AddTokenAuthorityClient().UseRequester(_ => _authority);
        collection.AddHttpClient("orders").AddServiceAccountToken("orders-api");
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IHttpClientFactory>().CreateClient("orders"));
        Assert.Contains("namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_without_a_requester_says_what_to_call()
    {
        var collection = new ServiceCollection();
        collection.AddTokenAuthorityClient(o => (o.Namespace, o.ServiceAccountName) = ("shop", "worker"));
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IServiceAccountTokenSource>());
        Assert.Contains("UseRemoteAuthority", error.Message, StringComparison.Ordinal);
    }
}
