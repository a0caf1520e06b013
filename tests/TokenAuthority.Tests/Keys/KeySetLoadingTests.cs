using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// When the configured keys are read: at start-up, and again on the next use after a failure. A failed read
/// (a key file not there yet, a secret volume being swapped) is never kept for the process's life.
/// </summary>
public class KeySetLoadingTests
{
    private static string MissingFile() =>
        Path.Combine(Path.GetTempPath(), "tokenauthority-late-" + Guid.NewGuid().ToString("N") + ".pem");

    // The provider alone, on options that skip validation (which would read the file first).
    private static ServiceProvider FileProvider(string path)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new TokenAuthorityOptions { Issuer = TestAuthority.Issuer, SigningKeyFile = path }));
        services.AddSingleton<ITokenKeySetProvider, ConfiguredTokenKeySetProvider>();
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Build(Action<TokenAuthorityOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            configure(o);
        }).AddInMemoryBoundObjects();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AKeyFileMissingAtTheFirstUseIsLoadedAtTheNextUseOnceItIsThere()
    {
        var path = MissingFile();
        using var services = FileProvider(path);
        var provider = services.GetRequiredService<ITokenKeySetProvider>();
        try
        {
            var first = Assert.ThrowsAny<Exception>(() => provider.Current);
            Assert.Contains(path, first.Message, StringComparison.Ordinal);

            File.WriteAllText(path, KubernetesTestKeys.RsaPrivateKey);

            Assert.Equal(KubernetesTestKeys.RsaKeyId, provider.Current.SigningKey.KeyId);
            Assert.Same(provider.Current, provider.Current);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AVerificationKeyFileUnreadableAtTheFirstUseIsReadAtTheNextUse()
    {
        var path = MissingFile();
        using var provider = Build(o => { o.SigningKeyPem = KubernetesTestKeys.RsaPrivateKey; o.VerificationKeyFiles.Add(path); });
        var keys = provider.GetRequiredService<ITokenKeySetProvider>();

        // Options validation reads the file too; the load itself is what is retried.
        File.WriteAllText(path, KubernetesTestKeys.EcdsaPublicKey);
        _ = provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;
        File.Delete(path);
        try
        {
            Assert.ThrowsAny<Exception>(() => keys.Current);

            File.WriteAllText(path, KubernetesTestKeys.EcdsaPublicKey);

            Assert.Equal([KubernetesTestKeys.RsaKeyId, KubernetesTestKeys.EcdsaKeyId], keys.Current.VerificationKeys.Select(k => k.KeyId));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheKeysAreLoadedAtStartUpSoAKeyFileGoneAfterwardsDoesNotFailTheFirstRequest()
    {
        using var file = new TempPemFile(KubernetesTestKeys.RsaPrivateKey);
        using var provider = Build(o => o.SigningKeyFile = file.Path);

        provider.GetRequiredService<IStartupValidator>().Validate();
        File.Delete(file.Path);

        Assert.Equal(KubernetesTestKeys.RsaKeyId, provider.GetRequiredService<ITokenKeySetProvider>().Current.SigningKey.KeyId);
    }

    [Fact]
    public void ALoadFailureNamesTheSettingAndTheFileButNeverTheContent()
    {
        var path = MissingFile();
        using var services = FileProvider(path);
        var provider = services.GetRequiredService<ITokenKeySetProvider>();
        try
        {
            File.WriteAllText(path, "-----BEGIN RSA PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END RSA PRIVATE KEY-----\n");

            var error = Assert.ThrowsAny<Exception>(() => provider.Current);

            Assert.StartsWith($"TokenAuthority:SigningKeyFile \"{path}\" cannot be used: PEM block \"RSA PRIVATE KEY\" could not be read as a key", error.Message);
            Assert.DoesNotContain("U0VDUkVU", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConcurrentFirstUsesLoadOneKeySet()
    {
        using var provider = Build(o => o.SigningKeyPem = KubernetesTestKeys.RsaPrivateKey);
        var keys = provider.GetRequiredService<ITokenKeySetProvider>();

        var sets = Enumerable.Range(0, 16).AsParallel().WithDegreeOfParallelism(4).Select(_ => keys.Current).ToArray();

        Assert.Single(sets.Distinct());
    }
}
