using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace TokenAuthority.Client.Tests.TestSupport;

/// <summary>
/// The Authority sample as a real process on a loopback port with a temporary data directory (where it writes its kubeconfig),
/// as the walkthrough runs it. Killed and its directory removed on dispose; its output is kept for failure messages.
/// </summary>
public sealed class AuthoritySampleProcess : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private readonly string _data = Directory.CreateTempSubdirectory("client-authority").FullName;
    private Process? _process;

    public Uri Url { get; } = new($"https://127.0.0.1:{FreePort()}");

    public string KubeconfigFile => Path.Combine(_data, "kubeconfig");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var assembly = typeof(AuthoritySampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AuthorityAssembly").Value!;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { assembly, "--urls", Url.GetLeftPart(UriPartial.Authority), "--DataDirectory", _data })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Authority exited with code {_process.ExitCode}. Output:\n{Output}");
            }
            if (File.Exists(KubeconfigFile) && File.Exists(Path.Combine(_data, "tls.crt")))
            {
                try
                {
                    using var client = new HttpClient(CertificateAuthorityTrust.CreateHandler(await File.ReadAllTextAsync(Path.Combine(_data, "tls.crt"))));
                    using var response = await client.GetAsync(new Uri(Url, "/healthz"));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The Authority was not ready within 90 s. Output:\n{Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(15_000);
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
