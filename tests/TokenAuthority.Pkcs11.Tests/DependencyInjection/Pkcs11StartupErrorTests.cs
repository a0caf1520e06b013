using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenAuthority.Pkcs11.Tests.TestSupport;

namespace TokenAuthority.Pkcs11.Tests.DependencyInjection;

/// <summary>
/// Every way the HSM configuration can be wrong stops the host at start-up with one message naming the thing and the
/// remedy, and no message ever holds the PIN, right or wrong.
/// </summary>
[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11StartupErrorTests(SoftHsm hsm)
{
    private const string WrongPin = "9876-wrong-pin-31337";

    [Fact]
    public async Task A_wrong_PIN_is_refused_by_the_token()
    {
        var message = await StartupFailureAsync(hsm.Options(SoftHsm.Ec, token: SoftHsm.LonelyToken, pin: WrongPin));

        Assert.Contains("the token \"lonely\" refused the PIN (CKR_PIN_INCORRECT); set Pkcs11:Pin to the token's user PIN", message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPin, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_PIN_is_refused_even_when_the_process_is_already_logged_in_to_the_token()
    {
        // The module's login is per process: without the library's own check the token would let this instance in.
        var message = await StartupFailureAsync(hsm.Options(SoftHsm.Ec, pin: WrongPin));

        Assert.Contains("the token \"tokenauthority\" refused the PIN (CKR_PIN_INCORRECT); set Pkcs11:Pin to the token's user PIN", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-signing", "no private key labelled \"absent\" is on token \"tokenauthority\"; generate it there (non-extractable) or correct Pkcs11:SigningKeyLabel")]
    [InlineData("missing-verification", "no public key labelled \"absent\" is on token \"tokenauthority\"; import it there or remove it from Pkcs11:VerificationKeyLabels")]
    [InlineData("missing-module", "the PKCS#11 module \"/nonexistent/libpkcs11.so\" does not exist; install the HSM's PKCS#11 library (for SoftHSM2: apt-get install softhsm2, module /usr/lib/softhsm/libsofthsm2.so) or correct Pkcs11:ModulePath")]
    [InlineData("not-a-module", "could not be loaded or initialised")]
    [InlineData("missing-token", "no token labelled \"absent\" is present in the PKCS#11 module \"/usr/lib/softhsm/libsofthsm2.so\" (tokens present: ")]
    [InlineData("weak-rsa", "the key \"rsa-1024\" on token \"tokenauthority\" cannot be used: the RSA key has 1024 bits; use at least 2048 bits (or an ECDSA P-256 key)")]
    [InlineData("other-curve", "the key \"ec-secp256k1\" on token \"tokenauthority\"")]
    [InlineData("duplicate", "2 private key objects on token \"tokenauthority\" are labelled \"ec-twice\"; give each key a label of its own")]
    [InlineData("mismatched", "the private key \"ec-mismatched\" on token \"tokenauthority\" signs, but not for the public key of that label; the two objects belong to different key pairs")]
    [InlineData("cannot-sign", "the key \"ec-no-sign\" on token \"tokenauthority\" could not sign (C_SignInit returned CKR_KEY_FUNCTION_NOT_PERMITTED); it needs CKA_SIGN=true")]
    public async Task A_broken_configuration_stops_the_start_with_one_message_naming_it(string @case, string expected)
    {
        var options = @case switch
        {
            "missing-signing" => hsm.Options("absent"),
            "missing-verification" => hsm.Options(SoftHsm.Ec, verificationLabels: ["absent"]),
            "missing-module" => With(hsm.Options(SoftHsm.Ec), o => o.ModulePath = "/nonexistent/libpkcs11.so"),
            "not-a-module" => With(hsm.Options(SoftHsm.Ec), o => o.ModulePath = hsm.ConfigFile),
            "missing-token" => hsm.Options(SoftHsm.Ec, token: "absent"),
            "weak-rsa" => hsm.Options(SoftHsm.WeakRsa),
            "other-curve" => hsm.Options(SoftHsm.Secp256k1),
            "cannot-sign" => hsm.Options(SoftHsm.NoSign),
            "duplicate" => hsm.Options(SoftHsm.Duplicate),
            "mismatched" => hsm.Options(SoftHsm.Mismatched),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var message = await StartupFailureAsync(options);

        Assert.True(message.Contains(expected, StringComparison.Ordinal), message);
        Assert.DoesNotContain(SoftHsm.Pin, message, StringComparison.Ordinal);
        if (@case == "missing-token")
        {
            // SoftHSM2 lists its slots in no fixed order, so each present token is looked for on its own.
            Assert.Contains("\"tokenauthority\" (slot ", message, StringComparison.Ordinal);
            Assert.Contains("\"lonely\" (slot ", message, StringComparison.Ordinal);
            Assert.Contains("initialise the token or correct Pkcs11:TokenLabel / Pkcs11:SlotId", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_settings_are_each_named_before_the_module_is_touched()
    {
        var message = await StartupFailureAsync(new Pkcs11KeyOptions { MaxSessions = 0 });

        Assert.Contains("Pkcs11:ModulePath is not set", message, StringComparison.Ordinal);
        Assert.Contains("Set exactly one of Pkcs11:TokenLabel and Pkcs11:SlotId", message, StringComparison.Ordinal);
        Assert.Contains("Pkcs11:Pin is not set", message, StringComparison.Ordinal);
        Assert.Contains("Pkcs11:SigningKeyLabel is not set", message, StringComparison.Ordinal);
        Assert.Contains("Pkcs11:MaxSessions is 0", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failed_start_a_good_configuration_still_starts()
    {
        _ = await StartupFailureAsync(hsm.Options("absent"));

        await using var authority = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Ec));

        Assert.Equal("ES256", authority.Keys.SigningKey.Algorithm);
    }

    private static Pkcs11KeyOptions With(Pkcs11KeyOptions options, Action<Pkcs11KeyOptions> change)
    {
        change(options);
        return options;
    }

    // Starts a host as an app would and returns every message of the failure (all inner exceptions included).
    private static async Task<string> StartupFailureAsync(Pkcs11KeyOptions keys)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTokenAuthority(o => o.Issuer = HsmAuthority.Issuer).AddInMemoryBoundObjects().AddPkcs11Keys(o => HsmAuthority.Copy(keys, o));
        using var host = builder.Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(i => i.Message));
            }
        }

        return string.Join("\n", messages);
    }
}
