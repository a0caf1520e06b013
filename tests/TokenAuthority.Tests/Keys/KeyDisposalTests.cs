using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// Who disposes a key: the authority disposes the keys it read or generated, with the service provider; a key the
/// host passed in as an object stays the host's, usable until the host disposes it.
/// </summary>
public class KeyDisposalTests
{
    public static TheoryData<string> Sources => new() { "SigningKeyPem", "SigningKeyFile", "generated" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void KeysTheAuthorityReadOrGeneratedAreDisposedWithTheServiceProvider(string source)
    {
        using var signingFile = new TempPemFile(KubernetesTestKeys.EcdsaPrivateKey);
        using var verificationFile = new TempPemFile(KubernetesTestKeys.OtherPublicKey);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            o.SigningKeyPem = source == "SigningKeyPem" ? KubernetesTestKeys.RsaPrivateKey : null;
            o.SigningKeyFile = source == "SigningKeyFile" ? signingFile.Path : null;
            o.VerificationKeyFiles.Add(verificationFile.Path);
        }).AddInMemoryBoundObjects();
        var provider = services.BuildServiceProvider();
        var keys = provider.GetRequiredService<ITokenKeySetProvider>();
        var set = keys.Current;

        provider.Dispose();

        Assert.Throws<ObjectDisposedException>(() => set.SigningKey.ExportPublicKeyPem());
        Assert.Equal(2, set.VerificationKeys.Count);
        Assert.All(set.VerificationKeys, key => Assert.Throws<ObjectDisposedException>(() => key.ExportPublicKeyPem()));
        Assert.Throws<ObjectDisposedException>(() => keys.Current);
    }

    [Fact]
    public async Task AKeyTheHostPassedInIsNotDisposed()
    {
        var rsa = new WrappedRsa(KeyObjects.Rsa()) { PrivateExport = PrivateExport.Allowed };
        using var hostKey = TokenKey.FromRsa(rsa);
        string token;
        using (var authority = new TestAuthority(signingKey: hostKey))
        {
            token = (await authority.TokenIssuer.IssueAsync("default", "builder", new TokenRequestSpec { Audiences = ["api"] })).Token;
        }

        Assert.False(rsa.IsDisposed);
        Assert.NotEmpty(TokenForge.SignRaw(hostKey, "{}", "{}"));

        // A second authority on the same key still verifies the first one's tokens.
        using var next = new TestAuthority(signingKey: hostKey);
        Assert.True((await next.Verifier.VerifyAsync(token, ["api"])).Succeeded);
    }

    [Fact]
    public void DisposingAKeyDisposesWhatItWraps()
    {
        var rsa = new WrappedRsa(KeyObjects.Rsa()) { PrivateExport = PrivateExport.Allowed };
        var key = TokenKey.FromRsa(rsa);

        key.Dispose();
        key.Dispose();

        Assert.True(rsa.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => TokenForge.SignRaw(key, "{}", "{}"));
    }
}
