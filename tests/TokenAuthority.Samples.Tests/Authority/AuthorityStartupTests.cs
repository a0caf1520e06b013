using System.Net;
using System.Net.Sockets;
using TokenAuthority.Samples.Authority.Bootstrap;
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
        foreach (var key in new[] { "--urls", "--AllowNonLoopback", "--DataDirectory", "Issuer", "TokenRequestRateLimit:Enabled", "TokenRequestRateLimit:TokenLimit", "AcceptedIssuers", "ApiAudiences", "MaxExpirationSeconds", "ExtendExpiration",
            "MaxExtendedExpirationSeconds", "Keys:Directory", "Keys:RotationInterval", "Keys:JwksMaxAge", "SigningKeyFile", "VerificationKeyFiles", "JwksUri", "ResolverTimeout",
            "--Storage:Provider", "--Storage:ConnectionString", "--Storage:DataProtectionKeys" })
        {
            Assert.Contains(key, authority.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("listening", authority.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_second_Authority_on_the_same_data_directory_is_refused_naming_the_holder_and_the_lock_goes_with_a_crash()
    {
        using var data = new TemporaryDirectory();
        var firstUrl = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using var first = StartAuthority(data, firstUrl);
        SampleProcess? third = null;
        try
        {
            await first.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(firstUrl, "/healthz"), TimeSpan.FromSeconds(90));
            var kubeconfig = File.ReadAllText(data.Combine("kubeconfig"));

            using var late = StartAuthority(data, new Uri($"https://127.0.0.1:{FreePort.Next()}"));
            var exitCode = await late.WaitForExitAsync(ExitTimeout);
            output.WriteLine(late.Output);

            Assert.Equal(1, exitCode);
            Assert.Contains($"Authority cannot start: The data directory \"{data.Path}\" is in use by another Authority (pid ", late.Output, StringComparison.Ordinal);
            Assert.Contains($" {firstUrl.GetLeftPart(UriPartial.Authority)}). Stop that one, or pass another --DataDirectory.", late.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", late.Output, StringComparison.Ordinal);
            Assert.Equal(kubeconfig, File.ReadAllText(data.Combine("kubeconfig")));

            // A crash (kill) releases the lock: the next Authority starts.
            first.Kill();
            var thirdUrl = new Uri($"https://127.0.0.1:{FreePort.Next()}");
            third = StartAuthority(data, thirdUrl);
            await third.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(thirdUrl, "/healthz"), TimeSpan.FromSeconds(90));
        }
        finally
        {
            output.WriteLine(first.Output);
            third?.Dispose();
        }
    }

    [Fact]
    public async Task A_port_in_use_stops_with_one_line_and_leaves_the_kubeconfig_pointing_where_it_did()
    {
        using var data = new TemporaryDirectory();
        var directory = new DataDirectory(data.Path);
        var earlier = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        AuthorityBootstrapper.Run(directory, earlier, TimeProvider.System).Certificate.Dispose();
        var kubeconfig = File.ReadAllText(directory.Kubeconfig);

        var port = FreePort.Next();
        using var occupant = new TcpListener(IPAddress.Loopback, port);
        occupant.Start();
        using var authority = StartAuthority(data, new Uri($"https://127.0.0.1:{port}"));
        var exitCode = await authority.WaitForExitAsync(ExitTimeout);
        output.WriteLine(authority.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains(
            $"Authority cannot start: Failed to bind to address https://127.0.0.1:{port}: address already in use. Stop whatever listens there, or pass another --urls.",
            authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", authority.Output, StringComparison.Ordinal);
        Assert.Equal(kubeconfig, File.ReadAllText(directory.Kubeconfig));
    }

    [Fact]
    public async Task A_read_only_data_directory_stops_with_one_line_naming_it()
    {
        using var data = new TemporaryDirectory();
        // The tests run as root, for whom permission bits do not stop a write: the immutable attribute does.
        await RunAsync("chattr", "+i", data.Path);
        try
        {
            using var authority = StartAuthority(data, new Uri($"https://127.0.0.1:{FreePort.Next()}"));
            var exitCode = await authority.WaitForExitAsync(ExitTimeout);
            output.WriteLine(authority.Output);

            Assert.Equal(1, exitCode);
            Assert.Contains(
                $"Authority cannot start: The data directory \"{data.Path}\" is not writable (\"{data.Combine("authority.lock")}\" cannot be created). Make it writable by this user, or pass another --DataDirectory.",
                authority.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", authority.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(data.Path));
        }
        finally
        {
            await RunAsync("chattr", "-i", data.Path);
        }
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {error}");
    }

    [Theory]
    [InlineData("tls.crt", "truncated", "Authority cannot start: The TLS certificate \"{0}\" cannot be read")]
    [InlineData("objects.db", "garbage", "Authority cannot start: \"{0}\" cannot be opened as the objects database (SQLite Error 26: 'file is not a database'). Move it away")]
    [InlineData("sa.key", "empty", "Authority cannot start: The token keys could not be loaded: TokenAuthority:Keys:ImportKeyFile \"{0}\" cannot be used: ")]
    [InlineData("sa.key", "truncated", "Authority cannot start: The token keys could not be loaded: TokenAuthority:Keys:ImportKeyFile \"{0}\" cannot be used: ")]
    [InlineData("sa.key", "weak", "Authority cannot start: The token keys could not be loaded: TokenAuthority:Keys:ImportKeyFile \"{0}\" cannot be used: ")]
    [InlineData("sa.key", "certificate", "Authority cannot start: The token keys could not be loaded: TokenAuthority:Keys:ImportKeyFile \"{0}\" cannot be used: ")]
    public async Task A_broken_file_stops_with_one_line_naming_it(string file, string damage, string expected)
    {
        using var data = new TemporaryDirectory();
        var directory = new DataDirectory(data.Path);
        AuthorityBootstrapper.Run(directory, new Uri("https://127.0.0.1:8443"), TimeProvider.System).Certificate.Dispose();
        var path = data.Combine(file);
        // An sa.key of an earlier version is imported into the key ring at the first start: a broken one stops it.
        var original = File.Exists(path) ? File.ReadAllText(path)
            : file == "sa.key" ? System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem() : string.Empty;
        var content = damage switch
        {
            "truncated" => original[..(original.Length / 2)],
            "garbage" => "this is not a database, just text that is long enough to be read as a header",
            "empty" => string.Empty,
            "weak" => System.Security.Cryptography.RSA.Create(1024).ExportRSAPrivateKeyPem(),
            "certificate" => File.ReadAllText(directory.TlsCertificate),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllText(path, content);
        var kubeconfig = File.ReadAllText(directory.Kubeconfig);

        using var authority = StartAuthority(data, new Uri($"https://127.0.0.1:{FreePort.Next()}"));
        var exitCode = await authority.WaitForExitAsync(ExitTimeout);
        output.WriteLine(authority.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", authority.Output, StringComparison.Ordinal);
        Assert.Equal(kubeconfig, File.ReadAllText(directory.Kubeconfig));
    }

    [Fact]
    public async Task A_lost_signing_key_beside_an_earlier_database_is_replaced_with_a_loud_warning()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using (var first = StartAuthority(data, url))
        {
            await first.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            Assert.DoesNotContain("Authority warning", first.Output, StringComparison.Ordinal);
        }

        Directory.Delete(data.Combine("keys"), recursive: true);
        using var second = StartAuthority(data, url);
        try
        {
            await second.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            Assert.Contains(
                $"Authority warning: the key directory \"{data.Combine("keys")}\" was missing but \"{data.Combine("objects.db")}\" is from an earlier start: a new key was generated and every earlier token will fail with \"no keys found\".",
                second.Output, StringComparison.Ordinal);
            Assert.Contains("warn: ", second.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(data.Combine("keys/ring.json")));
        }
        finally
        {
            output.WriteLine(second.Output);
        }
    }

    [Fact]
    public async Task Listening_on_every_interface_without_AllowNonLoopback_is_warned_in_one_line()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", $"https://0.0.0.0:{port}", "--DataDirectory", data.Path);
        try
        {
            await authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri($"https://127.0.0.1:{port}/healthz"), TimeSpan.FromSeconds(90));
            Assert.Contains(
                $"Authority warning: https://0.0.0.0:{port} listens on every interface: anyone who can reach this machine can connect. If that is intended, pass --AllowNonLoopback true; otherwise listen on loopback only, e.g. --urls https://127.0.0.1:{port}.",
                authority.Output, StringComparison.Ordinal);
            Assert.Contains("Listening beyond loopback without --AllowNonLoopback true: ", authority.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(authority.Output);
        }
    }

    private static SampleProcess StartAuthority(TemporaryDirectory data, Uri url, params string[] more) =>
        SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            ["--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path, .. more]);
}
