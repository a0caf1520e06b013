using System.Diagnostics;
using System.Text.RegularExpressions;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Walkthrough;

/// <summary>
/// README's walkthrough as a reader runs it (issue #14 item 14): each sample's address is set once, so moving a sample to
/// another port is one edit; and every answer ends its line, so no output runs into the next.
/// </summary>
public sealed class ReadmeWalkthroughScriptTests(ITestOutputHelper output)
{
    private static readonly string Readme = File.ReadAllText(SamplePaths.Readme);

    [Theory]
    [InlineData("BS=", "5090")]
    [InlineData("AUTH=", "8443")]
    [InlineData("AUTH=", "5080")]
    public void Each_address_of_the_walkthrough_is_set_once(string variableLine, string port)
    {
        var block = BashBlockStartingWith(variableLine);

        var lines = block.Split('\n').Where(l => l.Contains(port, StringComparison.Ordinal)).ToArray();

        Assert.Equal(block.Split('\n')[0], Assert.Single(lines));
    }

    [Fact]
    public async Task The_BuildServer_block_runs_as_written_with_only_its_first_line_edited_and_each_answer_on_its_own_line()
    {
        using var server = new RunningBuildServer(output);
        await server.StartAsync();
        var block = BashBlockStartingWith("BS=");
        var lines = block.Split('\n');
        // The one edit a reader makes to move the sample: its address (and here the data directory) on the first line.
        var first = Regex.Replace(lines[0], @"BS=\S+;", $"BS={server.Url.GetLeftPart(UriPartial.Authority)};");
        first = Regex.Replace(first, @"DATA=\S+;", $"DATA={server.Data.Path};");
        Assert.NotEqual(lines[0], first);
        var script = string.Join('\n', [first, .. lines[1..]]);

        var (exitCode, stdout, stderr) = await RunBashAsync(script);
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        var printed = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches("""^\{"job":"job-1","name":"build\.log","size":9,"sha256":"[0-9a-f]{64}","createdAt":"[^"]+"\}$""", printed[0]);
        Assert.Equal("build ok", printed[1]);
        Assert.Matches("""^\{"job":"job-1","uid":"[^"]+",.*"state":"Completed",.*\}$""", printed[2]);
        Assert.Matches("^HTTP/[0-9.]+ 401", printed[3]);
        Assert.Contains(printed, l => l.StartsWith("www-authenticate: Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"", StringComparison.OrdinalIgnoreCase));
    }

    private static string BashBlockStartingWith(string firstLinePrefix)
    {
        foreach (Match match in Regex.Matches(Readme, "```bash\n(.*?)```", RegexOptions.Singleline))
        {
            var body = match.Groups[1].Value.TrimEnd('\n');
            if (body.StartsWith(firstLinePrefix, StringComparison.Ordinal))
            {
                return body;
            }
        }

        throw new InvalidOperationException($"README.md has no bash block starting with {firstLinePrefix}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
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
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
