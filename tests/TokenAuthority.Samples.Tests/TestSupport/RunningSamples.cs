using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// Both samples as real processes on free loopback ports, sharing a temporary data directory, as the
/// walkthrough in docs/samples.md runs them. The temporary folder mirrors the repository's layout
/// (<c>Authority/.data</c> next to <c>OrdersApi</c>, OrdersApi's content root with a copy of its appsettings.json),
/// so OrdersApi finds the Authority's tls.crt and reviewer.token through its own defaults. Every process is killed and the directory removed on dispose;
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

    private readonly TemporaryDirectory _root = new();

    /// <summary>The Authority's data directory (<c>Authority/.data</c> in the temporary folder).</summary>
    public SampleDataDirectory Data => new(System.IO.Path.Combine(_root.Path, "Authority", ".data"));

    /// <summary>OrdersApi's content root (<c>OrdersApi</c> in the temporary folder).</summary>
    public string OrdersApiContentRoot => System.IO.Path.Combine(_root.Path, "OrdersApi");

    public Uri AuthorityUrl { get; }

    public Uri OrdersUrl { get; }

    public SampleProcess? Authority { get; private set; }

    public SampleProcess? OrdersApi { get; private set; }

    public string CertificateAuthorityFile => Data.Combine("tls.crt");

    public string AdminToken => File.ReadAllText(Data.Combine("admin.token")).Trim();

    public string ReviewerToken => File.ReadAllText(Data.Combine("reviewer.token")).Trim();

    /// <summary>Further Authority settings (e.g. <c>--Storage:Provider PostgreSql</c>), passed on every start.</summary>
    public IReadOnlyList<string> AuthorityArguments { get; init; } = [];

    public async Task StartAuthorityAsync()
    {
        Authority = Track(SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            ["--urls", AuthorityUrl.GetLeftPart(UriPartial.Authority), "--DataDirectory", Data.Path, .. AuthorityArguments]));
        await Authority.WaitUntilReadyAsync(() => AnonymousAuthorityClient(), new Uri(AuthorityUrl, "/healthz"), StartTimeout);
    }

    public async Task RestartAuthorityAsync()
    {
        Authority!.Kill();
        await StartAuthorityAsync();
    }

    /// <summary>
    /// Starts OrdersApi with its content root next to the Authority's data directory, as in the repository, and
    /// only the URLs set: the CA file and the reviewer token come from its defaults (<c>../Authority/.data/…</c>).
    /// </summary>
    public async Task StartOrdersApiAsync()
    {
        Directory.CreateDirectory(OrdersApiContentRoot);
        File.Copy(Path.Combine(Path.GetDirectoryName(SamplePaths.OrdersApiAssembly)!, "appsettings.json"), Path.Combine(OrdersApiContentRoot, "appsettings.json"), overwrite: true);
        OrdersApi = Track(SampleProcess.Start("OrdersApi", SamplePaths.OrdersApiAssembly,
            "--contentRoot", OrdersApiContentRoot,
            "--urls", OrdersUrl.GetLeftPart(UriPartial.Authority),
            "--Authority:Url", AuthorityUrl.GetLeftPart(UriPartial.Authority)));
        await OrdersApi.WaitUntilReadyAsync(() => new HttpClient(), new Uri(OrdersUrl, "/healthz"), StartTimeout);
    }

    /// <summary>A client for the Authority that trusts its tls.crt and presents the admin token.</summary>
    public HttpClient AdminClient() => TrustingHttpClient.Create(CertificateAuthorityFile, AdminToken);

    /// <summary>A client for the Authority that trusts its tls.crt and presents the reviewer token.</summary>
    public HttpClient ReviewerClient() => TrustingHttpClient.Create(CertificateAuthorityFile, ReviewerToken);

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

        _root.Dispose();
    }

    private SampleProcess Track(SampleProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
