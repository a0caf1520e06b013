using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>Every file that holds a secret ends owner-only after a start, however it was left before.</summary>
public sealed class SecretFilePermissionTests : IDisposable
{
    private static readonly Uri Server = new("https://127.0.0.1:8443");
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Loose_secret_files_are_tightened_on_the_next_start_even_when_their_content_is_unchanged()
    {
        var directory = new DataDirectory(_root.Combine("data"));
        AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var secrets = new[] { directory.TlsKey, directory.AdminToken, directory.ReviewerToken, directory.Kubeconfig };
        foreach (var secret in secrets)
        {
            File.SetUnixFileMode(secret, ownerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var second = AuthorityBootstrapper.Run(directory, Server, TimeProvider.System);

        Assert.Empty(second.Created);
        foreach (var secret in secrets)
        {
            Assert.True(File.GetUnixFileMode(secret) == ownerOnly, $"{Path.GetFileName(secret)} is {File.GetUnixFileMode(secret)}");
        }
    }
}
