using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>The npm <c>jose</c> verifier in <c>tests/interop</c> (installed by <c>.ci/setup</c> with <c>npm ci</c>).</summary>
public static class JoseInterop
{
    public static string? Directory { get; } = FindDirectory();

    public static string? Node { get; } = ExternalTool.FindOnPath("node");

    /// <summary>Why the jose tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } =
        Node is null ? "node is not installed (not found on PATH)"
        : Directory is null ? "tests/interop/verify.mjs was not found above the test assembly"
        : !File.Exists(Path.Combine(Directory, "node_modules", "jose", "package.json")) ? "tests/interop/node_modules is missing: run .ci/setup (npm ci in tests/interop)"
        : null;

    public static Task<ToolResult> VerifyAsync(AuthorityServer server, string certificatePemFile, string issuer, string audience, string token) =>
        ExternalTool.RunAsync(Node!, [Path.Combine(Directory!, "verify.mjs"), server.Issuer + "/openid/v1/jwks", issuer, audience, token],
            new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = certificatePemFile },
            timeout: TimeSpan.FromSeconds(30));

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
