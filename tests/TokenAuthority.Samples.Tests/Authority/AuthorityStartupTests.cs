using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>Issue #14: the Authority's start-up, with the real process, a temporary data directory and a free port.</summary>
public sealed class AuthorityStartupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Help_prints_every_setting_with_its_default_and_exits_without_touching_the_data_directory(string help)
    {
        using var data = new TemporaryDirectory();
        var directory = data.Combine("new");

        // --help first: --urls must not be taken as its value.
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            help, "--urls", $"https://127.0.0.1:{FreePort.Next()}", "--DataDirectory", directory);
        var exitCode = await authority.WaitForExitAsync(ExitTimeout);
        output.WriteLine(authority.Output);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: dotnet run --project samples/Authority", authority.Output, StringComparison.Ordinal);
        Assert.Contains("(https://127.0.0.1:8443)", authority.Output, StringComparison.Ordinal);
        Assert.Contains("(samples/Authority/.data)", authority.Output, StringComparison.Ordinal);
        foreach (var key in new[] { "--urls", "--DataDirectory", "Issuer", "AcceptedIssuers", "ApiAudiences", "MaxExpirationSeconds", "ExtendExpiration",
            "MaxExtendedExpirationSeconds", "SigningKeyFile", "VerificationKeyFiles", "JwksUri", "ResolverTimeout" })
        {
            Assert.Contains(key, authority.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("listening", authority.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }
}
