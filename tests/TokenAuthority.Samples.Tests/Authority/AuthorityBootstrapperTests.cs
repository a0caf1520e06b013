using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using TokenAuthority.Keys;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class AuthorityBootstrapperTests : IDisposable
{
    private static readonly Uri Server = new("https://127.0.0.1:8443");
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_first_run_creates_everything_and_later_runs_reuse_it()
    {
        var directory = new DataDirectory(_root.Combine("data"));
        var first = AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        Assert.Equal(
            new[] { directory.AdminToken, directory.Kubeconfig, directory.ReviewerToken, directory.TlsCertificate, directory.TlsKey }.Order(StringComparer.Ordinal),
            first.Created.Order(StringComparer.Ordinal));

        // The keys are the core's managed key directory, made when the host starts; no sa.key any more.
        Assert.False(File.Exists(directory.SigningKey));

        var second = AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        Assert.Empty(second.Created);
        Assert.Equal(first.AdminToken, second.AdminToken);
        Assert.Equal(first.ReviewerToken, second.ReviewerToken);
        Assert.Equal(first.ReviewerToken, File.ReadAllText(directory.ReviewerToken).Trim());
        Assert.NotEqual(first.AdminToken, first.ReviewerToken);
        Assert.True(first.ReviewerToken.Length >= 32, $"the reviewer token has {first.ReviewerToken.Length} characters");
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.Empty(Directory.GetFiles(directory.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Secrets_and_the_directory_are_owner_only_and_a_loose_key_file_is_tightened()
    {
        var directory = new DataDirectory(_root.Combine("data"));
        AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(directory.Root));

        // An sa.key of an earlier version, waiting to be imported into the key ring.
        using (var key = TokenKey.GenerateRsa())
        {
            File.WriteAllText(directory.SigningKey, key.ExportPrivateKeyPem());
        }

        foreach (var secret in new[] { directory.TlsKey, directory.AdminToken, directory.ReviewerToken, directory.Kubeconfig })
        {
            Assert.Equal(ownerOnly, File.GetUnixFileMode(secret));
        }

        File.SetUnixFileMode(directory.SigningKey, ownerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        Assert.Equal(ownerOnly, File.GetUnixFileMode(directory.SigningKey));
    }

    [Fact]
    public void The_certificate_covers_the_loopback_names_and_has_its_private_key()
    {
        var result = AuthorityBootstrapper.Run(new DataDirectory(_root.Path), Server, TimeProvider.System);
        Assert.True(result.Certificate.HasPrivateKey);
        Assert.True(result.Certificate.MatchesHostname("127.0.0.1"));
        Assert.True(result.Certificate.MatchesHostname("localhost"));
        Assert.False(result.Certificate.MatchesHostname("example.com"));
    }

    [Fact]
    public void The_kubeconfig_follows_the_served_address_and_carries_the_admin_token_and_the_certificate()
    {
        var directory = new DataDirectory(_root.Path);
        AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        var moved = AuthorityBootstrapper.Run(directory, new Uri("https://127.0.0.1:9443"), TimeProvider.System);
        Assert.Equal([directory.Kubeconfig], moved.Created);

        var config = JsonNode.Parse(File.ReadAllText(directory.Kubeconfig))!;
        var cluster = config["clusters"]![0]!["cluster"]!;
        Assert.Equal("https://127.0.0.1:9443", cluster["server"]!.GetValue<string>());
        using var ca = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(cluster["certificate-authority-data"]!.GetValue<string>())));
        Assert.Equal(moved.Certificate.Thumbprint, ca.Thumbprint);
        Assert.Equal(moved.AdminToken, config["users"]![0]!["user"]!["token"]!.GetValue<string>());
        Assert.Equal(config["current-context"]!.GetValue<string>(), config["contexts"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_certificate_without_its_key_is_regenerated_as_a_pair()
    {
        var directory = new DataDirectory(_root.Path);
        var first = AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        File.Delete(directory.TlsCertificate); // as after a crash between writing tls.key and tls.crt
        var second = AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        Assert.NotEqual(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.True(second.Certificate.HasPrivateKey);
    }

    [Fact]
    public void An_unusable_admin_token_file_stops_the_start_with_a_message()
    {
        var directory = new DataDirectory(_root.Path);
        directory.EnsureExists();
        File.WriteAllText(directory.AdminToken, "short");
        var error = Assert.Throws<InvalidOperationException>(() => AuthorityBootstrapper.Run(directory, Server, TimeProvider.System));
        Assert.Contains("Delete the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unusable_reviewer_token_file_stops_the_start_with_a_message()
    {
        var directory = new DataDirectory(_root.Path);
        directory.EnsureExists();
        File.WriteAllText(directory.ReviewerToken, "short");
        var error = Assert.Throws<InvalidOperationException>(() => AuthorityBootstrapper.Run(directory, Server, TimeProvider.System));
        Assert.Equal($"The reviewer token in \"{directory.ReviewerToken}\" is shorter than 32 characters. Delete the file to have a new one generated.", error.Message);
    }

    [Fact]
    public void A_token_file_with_a_dot_stops_the_start_since_it_would_be_read_as_a_service_account_token()
    {
        var directory = new DataDirectory(_root.Path);
        directory.EnsureExists();
        File.WriteAllText(directory.AdminToken, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl");
        var error = Assert.Throws<InvalidOperationException>(() => AuthorityBootstrapper.Run(directory, Server, TimeProvider.System));
        Assert.Equal($"The admin token in \"{directory.AdminToken}\" contains a '.', which makes it look like a service-account token. Delete the file to have a new one generated.", error.Message);
    }

    [Fact]
    public void A_reviewer_token_equal_to_the_admin_token_stops_the_start()
    {
        var directory = new DataDirectory(_root.Path);
        AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        File.Copy(directory.AdminToken, directory.ReviewerToken, overwrite: true);
        var error = Assert.Throws<InvalidOperationException>(() => AuthorityBootstrapper.Run(directory, Server, TimeProvider.System));
        Assert.Contains("holds the admin token", error.Message, StringComparison.Ordinal);
    }
}
