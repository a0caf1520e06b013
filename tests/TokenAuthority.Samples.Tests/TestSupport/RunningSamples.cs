using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// Both samples as real processes on free loopback ports, sharing a temporary data directory, as the
/// walkthrough in docs/samples.md runs them. Every process is killed and the directory removed on dispose;
/// the processes' output goes to the test output so a failure can be understood.
/// </summary>
internal sealed class RunningSamples : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly List<SampleProcess> _processes = [];

    public RunningSamples(ITestOutputHelper output)
    {
        _output = output;
        AuthorityUrl = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        OrdersUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
    }

    public TemporaryDirectory Data { get; } = new();

    public Uri AuthorityUrl { get; }

    public Uri OrdersUrl { get; }

    public SampleProcess? Authority { get; private set; }

    public SampleProcess? OrdersApi { get; private set; }

    public string CertificateAuthorityFile => Data.Combine("tls.crt");

    public string AdminToken => File.ReadAllText(Data.Combine("admin.token")).Trim();

    public async Task StartAuthorityAsync()
    {
        Authority = Track(SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", AuthorityUrl.GetLeftPart(UriPartial.Authority), "--DataDirectory", Data.Path));
        await Authority.WaitUntilReadyAsync(() => AnonymousAuthorityClient(), new Uri(AuthorityUrl, "/healthz"), StartTimeout);
    }

    public async Task RestartAuthorityAsync()
    {
        Authority!.Kill();
        await StartAuthorityAsync();
    }

    public async Task StartOrdersApiAsync()
    {
        OrdersApi = Track(SampleProcess.Start("OrdersApi", SamplePaths.OrdersApiAssembly,
            "--urls", OrdersUrl.GetLeftPart(UriPartial.Authority),
            "--Authority:Url", AuthorityUrl.GetLeftPart(UriPartial.Authority),
            "--Authority:CaFile", CertificateAuthorityFile,
            "--Authority:ReviewerTokenFile", Data.Combine("admin.token")));
        await OrdersApi.WaitUntilReadyAsync(() => new HttpClient(), new Uri(OrdersUrl, "/healthz"), StartTimeout);
    }

    /// <summary>A client for the Authority that trusts its tls.crt and presents the admin token.</summary>
    public HttpClient AdminClient() => TrustingHttpClient.Create(CertificateAuthorityFile, AdminToken);

    /// <summary>A client for the Authority that trusts its tls.crt and presents no token (or <paramref name="token"/>).</summary>
    public HttpClient AnonymousAuthorityClient(string? token = null) => TrustingHttpClient.Create(CertificateAuthorityFile, token);

    /// <summary>A client for OrdersApi presenting <paramref name="token"/>.</summary>
    public HttpClient OrdersClient(string? token)
    {
        var client = new HttpClient { BaseAddress = OrdersUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>POSTs a JSON body to the Authority as admin.</summary>
    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, string json)
    {
        using var client = AdminClient();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(AuthorityUrl, path), content);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>Sends a bodiless request to the Authority as admin.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path)
    {
        using var client = AdminClient();
        using var response = await client.SendAsync(new HttpRequestMessage(method, new Uri(AuthorityUrl, path)));
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>Requests a token for service account default/default with audience <paramref name="audience"/>, bound to a pod.</summary>
    public async Task<string> RequestPodBoundTokenAsync(string pod, string audience = "orders")
    {
        var (status, body) = await PostAsync("/api/v1/namespaces/default/serviceaccounts/default/token", $$$$"""
            {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
             "spec":{"audiences":["{{{{audience}}}}"],"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"{{{{pod}}}}"}}}
            """);
        Assert.True(status == 201, $"TokenRequest answered {status}: {body?.ToJsonString()}");
        return body!["status"]!["token"]!.GetValue<string>();
    }

    /// <summary>GETs an OrdersApi path with a token.</summary>
    public async Task<(int Status, JsonNode? Body)> GetOrdersAsync(string path, string? token)
    {
        using var client = OrdersClient(token);
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>GETs an OrdersApi path with a token; returns the status and the <c>WWW-Authenticate</c> header (null when absent).</summary>
    public async Task<(int Status, string? Challenge)> GetOrdersChallengeAsync(string path, string? token)
    {
        using var client = OrdersClient(token);
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : null);
    }

    public static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
            _output.WriteLine($"----- {process.Name} output -----\n{process.Output}");
        }

        Data.Dispose();
    }

    private SampleProcess Track(SampleProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
