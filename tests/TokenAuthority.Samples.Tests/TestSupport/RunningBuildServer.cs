using System.Net.Http.Headers;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// The BuildServer sample as a real process on a free loopback port with a temporary data directory, as
/// <c>dotnet run --project samples/BuildServer</c> runs it. Killed, and the directory removed, on dispose; its output
/// goes to the test output so a failure can be understood.
/// </summary>
internal sealed class RunningBuildServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly TemporaryDirectory _root = new();
    private readonly List<SampleProcess> _processes = [];

    public RunningBuildServer(ITestOutputHelper output)
    {
        _output = output;
        Url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
    }

    /// <summary>The base URL, which is also the issuer.</summary>
    public Uri Url { get; }

    public string Issuer => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>The data directory (created by the BuildServer on start).</summary>
    public SampleDataDirectory Data => new(_root.Combine(".data"));

    public SampleProcess? Process { get; private set; }

    public string CertificateAuthorityFile => Data.Combine("tls.crt");

    public string AdminToken => File.ReadAllText(Data.Combine("admin.token")).Trim();

    /// <summary>Starts the BuildServer and waits until it answers; <paramref name="arguments"/> are added to its command line.</summary>
    public async Task StartAsync(params string[] arguments)
    {
        Process = SampleProcess.Start("BuildServer", SamplePaths.BuildServerAssembly, ["--urls", Issuer, "--DataDirectory", Data.Path, .. arguments]);
        _processes.Add(Process);
        await Process.WaitUntilReadyAsync(() => Client(), new Uri(Url, "/healthz"), StartTimeout);
    }

    /// <summary>Kills the process (like a crash) and starts it again on the same port and data directory.</summary>
    public async Task RestartAsync(params string[] arguments)
    {
        Process!.Kill();
        await StartAsync(arguments);
    }

    /// <summary>A client that trusts the BuildServer's tls.crt (and nothing else) and presents <paramref name="token"/>, if any.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = TrustingHttpClient.Create(CertificateAuthorityFile, token);
        client.BaseAddress = Url;
        return client;
    }

    /// <summary>Sends a request with <paramref name="token"/> and an optional body (bytes, or JSON text).</summary>
    public Task<HttpAnswer> SendJsonAsync(HttpMethod method, string path, string? token, string json) =>
        SendAsync(method, path, token, System.Text.Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>
    /// Sends a request with <paramref name="token"/> and an optional body. The body waits for <c>100 Continue</c>, as
    /// curl's uploads do, so that a refusal sent before the body is read (413) reaches the client.
    /// </summary>
    public async Task<HttpAnswer> SendAsync(HttpMethod method, string path, string? token, byte[]? body = null, string contentType = "application/octet-stream")
    {
        using var client = Client(token);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            request.Headers.ExpectContinue = true;
        }

        using var response = await client.SendAsync(request);
        return await HttpAnswer.ReadAsync(response);
    }

    /// <summary><c>POST /jobs</c> as admin; returns the job's name and token.</summary>
    public async Task<(string Job, string Token, HttpAnswer Answer)> CreateJobAsync()
    {
        var answer = await SendAsync(HttpMethod.Post, "/jobs", AdminToken);
        Assert.True(answer.Status == 201, $"POST /jobs answered {answer}");
        return (answer.Json["job"]!.GetValue<string>(), answer.Json["token"]!.GetValue<string>(), answer);
    }

    /// <summary><c>PUT /artifacts/{job}/{name}</c> with <paramref name="token"/>.</summary>
    public Task<HttpAnswer> PutArtifactAsync(string job, string name, string token, string content) =>
        SendAsync(HttpMethod.Put, $"/artifacts/{job}/{name}", token, System.Text.Encoding.UTF8.GetBytes(content));

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
            _output.WriteLine($"----- {process.Name} output -----\n{process.Output}");
        }

        _root.Dispose();
    }
}
