using System.Diagnostics;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>Finds and runs kubectl.</summary>
internal static class Kubectl
{
    public static string? Path { get; } = Find();

    /// <summary>Runs kubectl with the arguments; returns exit code, stdout and stderr. Killed after 60 s.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunBinaryAsync(Path ?? throw new InvalidOperationException("kubectl is not on the PATH"), arguments);

    /// <summary>The pinned kubectl of a minor version (e.g. <c>1.30</c>) installed beside the dispatcher on the PATH.</summary>
    public static string Pinned(string minor) => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(File.ResolveLinkTarget(Path!, returnFinalTarget: true)?.FullName ?? Path!)!, "kubectl." + minor);

    /// <summary>Runs <paramref name="binary"/> (e.g. <see cref="Pinned"/>) like <see cref="RunAsync"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunBinaryAsync(string binary, params string[] arguments)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? Find()
    {
        var name = OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
