using System.Diagnostics;
using System.Text;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// A sample running as a real process (<c>dotnet &lt;sample&gt;.dll args</c>) started in the sample's output folder,
/// with its console output captured. Killed (with its children) on dispose, whatever happened before.
/// </summary>
internal sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Everything the process wrote so far (stdout and stderr).</summary>
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

    public bool HasExited => _process.HasExited;

    public static SampleProcess Start(string name, string assemblyPath, params string[] arguments) =>
        Start(name, assemblyPath, new Dictionary<string, string>(), arguments);

    /// <summary>Starts the sample with <paramref name="environment"/> added to its environment.</summary>
    public static SampleProcess Start(string name, string assemblyPath, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The samples must not pick up settings meant for something else.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (variable, value) in environment)
        {
            info.Environment[variable] = value;
        }

        var process = new Process { StartInfo = info };
        var sample = new SampleProcess(name, process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200; fails with the process output if the process exits or time runs out.</summary>
    public async Task WaitUntilReadyAsync(Func<HttpClient> clientFactory, Uri url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready. Output:\n{Output}");
            }

            try
            {
                using var client = clientFactory();
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = new HttpRequestException($"{url} answered {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Security.Cryptography.CryptographicException)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready at {url} within {timeout} ({last?.Message}). Output:\n{Output}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code; fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process (an abrupt stop, like a crash) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(15_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
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
}
