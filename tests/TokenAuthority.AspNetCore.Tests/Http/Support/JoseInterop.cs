using System.ComponentModel;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>
/// The npm <c>jose</c> verifier in <c>tests/interop</c>. When its <c>node_modules</c> is missing (no prior
/// <c>.ci/setup</c>), the first test that asks runs <c>npm ci --no-audit --no-fund</c> there, once per process.
/// </summary>
public static class JoseInterop
{
    /// <summary>How long <c>npm ci</c> may take before the jose tests are skipped.</summary>
    public static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);

    // ExecutionAndPublication: one thread runs the check (and npm ci); every other caller waits for its answer.
    private static readonly Lazy<string?> Missing = new(FindMissing, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string? Directory { get; } = FindDirectory();

    public static string? Node { get; } = ExternalTool.FindOnPath("node");

    /// <summary>Why the jose tests cannot run here, or null when they can (after installing the packages if needed).</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>What <c>npm ci</c> printed, when this process ran it.</summary>
    public static ToolResult? InstallResult { get; private set; }

    public static Task<ToolResult> VerifyAsync(AuthorityServer server, string certificatePemFile, string issuer, string audience, string token) =>
        ExternalTool.RunAsync(Node!, [Path.Combine(Directory!, "verify.mjs"), server.Issuer + "/openid/v1/jwks", issuer, audience, token],
            new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = certificatePemFile },
            timeout: TimeSpan.FromSeconds(30));

    private static bool IsInstalled(string directory) => File.Exists(Path.Combine(directory, "node_modules", "jose", "package.json"));

    private static string? FindMissing()
    {
        if (Node is null)
        {
            return "node is not installed (not found on PATH)";
        }

        if (Directory is null)
        {
            return "tests/interop/verify.mjs was not found above the test assembly";
        }

        if (IsInstalled(Directory))
        {
            return null;
        }

        var npm = ExternalTool.FindOnPath("npm");
        if (npm is null)
        {
            return $"{Directory}/node_modules is missing and npm is not installed (not found on PATH) to run npm ci";
        }

        const string command = "npm ci --no-audit --no-fund";
        try
        {
            // Task.Run: no synchronization context to block on while the process runs.
            var result = Task.Run(() => ExternalTool.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], workingDirectory: Directory, timeout: InstallTimeout)).GetAwaiter().GetResult();
            InstallResult = result;
            if (result.ExitCode != 0)
            {
                return $"{command} in {Directory} failed with exit code {result.ExitCode}: {Tail(result.StandardError)}";
            }
        }
        catch (TimeoutException)
        {
            return $"{command} in {Directory} did not finish within {InstallTimeout.TotalMinutes:0} minutes";
        }
        catch (Win32Exception ex)
        {
            return $"{command} in {Directory} could not be started: {ex.Message}";
        }

        return IsInstalled(Directory) ? null : $"{command} in {Directory} succeeded but node_modules/jose/package.json is still missing";
    }

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "…" + text[^2000..];
    }

    private static string? FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "verify.mjs")))
            {
                return candidate;
            }
        }

        return null;
    }
}
