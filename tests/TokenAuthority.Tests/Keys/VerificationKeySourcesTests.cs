using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>Verification keys given as files, PEM text or objects work alike (issue #10, item 2).</summary>
public sealed class VerificationKeySourcesTests
{
    public enum Source
    {
        File,
        Pem,
        KeyObject,
    }

    [Theory]
    [InlineData(Source.File)]
    [InlineData(Source.Pem)]
    [InlineData(Source.KeyObject)]
    public void A_token_of_a_retiring_key_verifies_and_the_key_is_published_whichever_way_it_is_given(Source source)
    {
        // The retiring key signed a token; the authority now signs with another key and keeps the old one to verify.
        using var retiring = TokenKey.GenerateECDsa();
        string token;
        using (var before = new TestAuthority(signingKey: retiring))
        {
            token = before.Create(new TokenRequestSpec { Audiences = ["api"] }).Response!.Status.Token;
        }

        using var publicPem = new TempPemFile(retiring.ExportPublicKeyPem());
        using var after = new TestAuthority(o =>
        {
            switch (source)
            {
                case Source.File: o.VerificationKeyFiles.Add(publicPem.Path); break;
                case Source.Pem: o.VerificationKeyPems.Add(retiring.ExportPublicKeyPem()); break;
                default: o.VerificationKeys.Add(retiring); break;
            }
        });

        var result = after.Verify(token, "api");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(retiring.KeyId, after.Metadata.Current.KeySetJson, StringComparison.Ordinal);
        Assert.Contains(after.Services.GetRequiredService<ITokenKeySetProvider>().Current.VerificationKeys, k => k.KeyId == retiring.KeyId);
    }

    [Fact]
    public void Without_the_retiring_key_its_token_is_refused()
    {
        using var retiring = TokenKey.GenerateECDsa();
        string token;
        using (var before = new TestAuthority(signingKey: retiring))
        {
            token = before.Create(new TokenRequestSpec { Audiences = ["api"] }).Response!.Status.Token;
        }

        using var after = new TestAuthority();

        Assert.False(after.Verify(token, "api").Succeeded);
    }

    [Fact]
    public void A_verification_key_object_stays_the_hosts_and_is_not_disposed_with_the_authority()
    {
        using var key = TokenKey.GenerateECDsa();
        using (var authority = new TestAuthority(o => o.VerificationKeys.Add(key)))
        {
            _ = authority.Metadata.Current;
        }

        // Still usable: the authority never disposed it.
        Assert.False(string.IsNullOrEmpty(key.ExportPublicKeyPem()));
    }

    [Fact]
    public void A_broken_pem_text_stops_start_up_naming_the_setting_never_the_text()
    {
        const string Broken = "-----BEGIN PUBLIC KEY-----\nc2VjcmV0LWxvb2tpbmctdGV4dA==\n-----END PUBLIC KEY-----";
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
            o.VerificationKeyPems.Add(Broken);
        }).AddInMemoryBoundObjects();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value);

        Assert.Contains("TokenAuthority:VerificationKeyPems:0 is not a usable key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
    }
}
