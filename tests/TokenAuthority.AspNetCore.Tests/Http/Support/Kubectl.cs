using System.Text;
using System.Text.Json;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>
/// The kubectl on this machine: the dispatcher on PATH (it asks <c>/version</c> and runs the matching minor) and
/// the pinned <c>kubectl.1.3x</c> binaries beside it. Every run gets a JSON kubeconfig (https, the server's
/// certificate as <c>certificate-authority-data</c>, a bearer token) and a fresh <c>--cache-dir</c>.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _directory;
    private readonly string _kubeconfig;

    public Kubectl(AuthorityServer server, string bearerToken = TestAuthenticationHandler.AdminToken)
    {
        _directory = Directory.CreateTempSubdirectory("kubectl-test-").FullName;
        _kubeconfig = Path.Combine(_directory, "kubeconfig.json");
        var config = new
        {
            apiVersion = "v1",
            kind = "Config",
            clusters = new[] { new { name = "authority", cluster = new Dictionary<string, string> { ["server"] = server.BaseAddress.AbsoluteUri.TrimEnd('/'), ["certificate-authority-data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(server.CertificatePem)) } } },
            users = new[] { new { name = "tester", user = new { token = bearerToken } } },
            contexts = new[] { new { name = "authority", context = new { cluster = "authority", user = "tester", @namespace = "default" } } },
            current_context = "authority",
        };
        File.WriteAllText(_kubeconfig, JsonSerializer.Serialize(config).Replace("current_context", "current-context", StringComparison.Ordinal));
    }

    /// <summary>The kubectl minors (declared before <see cref="MissingReason"/>, which reads it) whose pinned binaries the tests run: 1.30/1.31 send JSON, 1.32/1.33 protobuf.</summary>
    public static string[] TestedMinors { get; } = ["1.30", "1.31", "1.32", "1.33"];

    /// <summary>Why kubectl tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = FindMissing();

    public static string Dispatcher => ExternalTool.FindOnPath("kubectl")!;

    public static string Pinned(string minor) => Path.Combine(Path.GetDirectoryName(RealPath(Dispatcher))!, "kubectl." + minor);

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs <paramref name="binary"/> (the dispatcher or a pinned one) with the test kubeconfig and a fresh cache.</summary>
    public Task<ToolResult> RunAsync(string binary, params string[] arguments)
    {
        var cache = Directory.CreateDirectory(Path.Combine(_directory, "cache-" + Guid.NewGuid().ToString("N"))).FullName;
        return ExternalTool.RunAsync(binary, [.. arguments, "--kubeconfig", _kubeconfig, "--cache-dir", cache, "--request-timeout", "20s"],
            new Dictionary<string, string>
            {
                ["HOME"] = _directory,
                ["KUBECONFIG"] = _kubeconfig,
                ["KUBECTL_NODE_BOUND_TOKENS"] = "true",
            },
            timeout: TimeSpan.FromSeconds(40));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string RealPath(string path) => File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;

    private static string? FindMissing()
    {
        var dispatcher = ExternalTool.FindOnPath("kubectl");
        if (dispatcher is null)
        {
            return "kubectl is not installed (not found on PATH)";
        }

        var directory = Path.GetDirectoryName(RealPath(dispatcher))!;
        foreach (var minor in TestedMinors)
        {
            if (!File.Exists(Path.Combine(directory, "kubectl." + minor)))
            {
                return $"the pinned kubectl.{minor} binary is not installed beside {dispatcher}";
            }
        }

        return null;
    }
}
