using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenAuthority.Keys;
using TokenAuthority.Pkcs11.Tests.TestSupport;

namespace TokenAuthority.Pkcs11.Tests.DependencyInjection;

/// <summary>The options bind from configuration (as from appsettings.json and environment variables), the token chosen by label or by slot.</summary>
[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11ConfigurationTests(SoftHsm hsm)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_keys_are_found_from_a_configuration_section_by_token_label_or_slot(bool bySlot)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TokenAuthority:Issuer"] = HsmAuthority.Issuer,
            ["TokenAuthority:Pkcs11:ModulePath"] = SoftHsm.ModulePath,
            ["TokenAuthority:Pkcs11:Pin"] = SoftHsm.Pin,
            ["TokenAuthority:Pkcs11:SigningKeyLabel"] = SoftHsm.Ec,
            ["TokenAuthority:Pkcs11:VerificationKeyLabels:0"] = SoftHsm.RsaOld,
            ["TokenAuthority:Pkcs11:VerificationKeyLabels:1"] = SoftHsm.Ec384,
            ["TokenAuthority:Pkcs11:MaxSessions"] = "2",
            [bySlot ? "TokenAuthority:Pkcs11:SlotId" : "TokenAuthority:Pkcs11:TokenLabel"] = bySlot ? hsm.TokenSlotId.ToString(System.Globalization.CultureInfo.InvariantCulture) : SoftHsm.Token,
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTokenAuthority().AddInMemoryBoundObjects().AddPkcs11Keys(builder.Configuration.GetSection("TokenAuthority:Pkcs11"));
        using var host = builder.Build();
        await host.StartAsync();

        var keys = host.Services.GetRequiredService<ITokenKeySetProvider>().Current;

        Assert.IsType<Pkcs11TokenKeySetProvider>(host.Services.GetRequiredService<ITokenKeySetProvider>());
        Assert.Equal("ES256", keys.SigningKey.Algorithm);
        Assert.Equal(["ES256", "RS256", "ES384"], keys.VerificationKeys.Select(k => k.Algorithm));
        await host.StopAsync();
    }
}
