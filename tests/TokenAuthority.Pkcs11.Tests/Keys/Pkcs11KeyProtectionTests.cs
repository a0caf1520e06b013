using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenAuthority.Pkcs11.Tests.TestSupport;

namespace TokenAuthority.Pkcs11.Tests.Keys;

/// <summary>The signing keys stay in the token: they are non-extractable and sensitive, and the library cannot export them.</summary>
[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11KeyProtectionTests(SoftHsm hsm)
{
    [Theory]
    [InlineData(SoftHsm.Rsa, CKA.CKA_PRIVATE_EXPONENT)]
    [InlineData(SoftHsm.Rsa, CKA.CKA_PRIME_1)]
    [InlineData(SoftHsm.Ec, CKA.CKA_VALUE)]
    public void The_private_key_object_is_sensitive_and_not_extractable_and_its_secret_cannot_be_read(string label, CKA secret)
    {
        var (extractable, sensitive, secretReadable) = hsm.Inspect((session, factories) =>
        {
            var key = session.FindAllObjects(
            [
                factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
            ]).Single();
            var flags = session.GetAttributeValue(key, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
            var value = session.GetAttributeValue(key, [secret])[0];
            return (flags[0].GetValueAsBool(), flags[1].GetValueAsBool(), !value.CannotBeRead);
        });

        Assert.False(extractable);
        Assert.True(sensitive);
        Assert.False(secretReadable);
    }

    [Fact]
    public void The_private_key_cannot_be_wrapped_out_of_the_token()
    {
        var error = hsm.Inspect((session, factories) =>
        {
            var key = session.FindAllObjects(
            [
                factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, SoftHsm.Ec),
            ]).Single();
            using var aes = factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN);
            using var wrap = factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD);
            var wrappingKey = session.GenerateKey(aes,
            [
                factories.ObjectAttributeFactory.Create(CKA.CKA_VALUE_LEN, 32UL),
                factories.ObjectAttributeFactory.Create(CKA.CKA_WRAP, true),
                factories.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, false),
            ]);
            return Assert.Throws<Pkcs11Exception>(() => session.WrapKey(wrap, wrappingKey, key)).RV;
        });

        Assert.Equal(CKR.CKR_KEY_UNEXTRACTABLE, error);
    }

    [Theory]
    [InlineData(SoftHsm.Rsa)]
    [InlineData(SoftHsm.Ec)]
    public async Task The_library_holds_no_private_part_and_refuses_to_export_one(string label)
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(label));
        var key = authority.Keys.SigningKey;

        Assert.True(key.HasPrivateKey);
        Assert.True(key.IsExternal);
        Assert.Throws<CryptographicException>(key.ExportPrivateKeyPem);
        Assert.DoesNotContain("PRIVATE", key.ExportPublicKeyPem(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_key_that_could_leave_the_token_starts_with_a_warning_naming_it_and_a_protected_one_without()
    {
        using var logs = new TestLogs();
        await using (await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Extractable), logs))
        {
        }

        using var quiet = new TestLogs();
        await using (await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Ec), quiet))
        {
        }

        var warning = Assert.Single(logs.Entries, e => e.EventId == 6002);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Equal(
            "The private key ec-extractable on token tokenauthority can leave the HSM (CKA_EXTRACTABLE=true); generate signing keys with CKA_EXTRACTABLE=false and CKA_SENSITIVE=true.",
            warning.Message);
        Assert.DoesNotContain(quiet.Entries, e => e.EventId == 6002);
        Assert.Contains(quiet.Entries, e => e.EventId == 6001 && e.Message.Contains("signing key ec-signing (ES256", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries.Concat(quiet.Entries), e => e.Message.Contains(SoftHsm.Pin, StringComparison.Ordinal));
    }
}
