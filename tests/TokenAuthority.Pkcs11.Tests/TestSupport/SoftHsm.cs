using System.Diagnostics;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenAuthority.Pkcs11.Interop;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>
/// A real SoftHSM2 for the test run: a configuration and token directory in a temp dir, three tokens initialised with
/// softhsm2-util, and key pairs generated inside the tokens (never imported, never extractable). SoftHSM reads
/// SOFTHSM2_CONF once per process, when the module is initialised, so every test shares this one fixture (one
/// collection, run one class at a time); the fixture holds the module for the run and deletes the directory after.
/// </summary>
public sealed class SoftHsm : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Token = "tokenauthority";
    public const string LonelyToken = "lonely";
    public const string Pin = "1234-user-pin";
    public const string SoPin = "5678-so-pin";

    public const string Rsa = "rsa-signing";
    public const string Ec = "ec-signing";
    public const string Ec384 = "ec384-signing";
    public const string RsaOld = "rsa-old";
    public const string WeakRsa = "rsa-1024";
    public const string Secp256k1 = "ec-secp256k1";
    public const string NoSign = "ec-no-sign";
    public const string Extractable = "ec-extractable";
    public const string Duplicate = "ec-twice";
    public const string Mismatched = "ec-mismatched";

    private readonly Pkcs11Module _module;

    public SoftHsm()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tokenauthority-softhsm-").FullName;
        if (!File.Exists(ModulePath))
        {
            throw new InvalidOperationException($"SoftHSM2 is not installed ({ModulePath} is missing): run .ci/setup (apt-get install softhsm2)");
        }

        var tokens = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens")).FullName;
        ConfigFile = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(ConfigFile, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        NativeEnvironment.Set("SOFTHSM2_CONF", ConfigFile);
        InitToken(Token);
        InitToken(LonelyToken);

        _module = Pkcs11Module.Acquire(ModulePath);
        var slot = _module.FindSlot(Token, null);
        TokenSlotId = slot.SlotId;
        _module.Login(slot, Token, Pin);
        using (var session = slot.OpenSession(SessionType.ReadWrite))
        {
            var keys = new Pkcs11TestKeys(session, _module.Factories);
            keys.GenerateRsa(Rsa, 2048);
            keys.GenerateRsa(RsaOld, 2048);
            keys.GenerateRsa(WeakRsa, 1024);
            keys.GenerateEc(Ec, Pkcs11TestKeys.P256);
            keys.GenerateEc(Ec384, Pkcs11TestKeys.P384);
            keys.GenerateEc(Secp256k1, Pkcs11TestKeys.Secp256k1);
            keys.GenerateEc(NoSign, Pkcs11TestKeys.P256, sign: false);
            keys.GenerateEc(Extractable, Pkcs11TestKeys.P256, extractable: true);
            keys.GenerateEc(Duplicate, Pkcs11TestKeys.P256);
            keys.GenerateEc(Duplicate, Pkcs11TestKeys.P256);

            // Two pairs crossed: the private key labelled "ec-mismatched" belongs to another public key than the one so labelled.
            keys.GenerateEc(Mismatched, Pkcs11TestKeys.P256, publicLabel: "ec-mismatched-orphan-public");
            keys.GenerateEc("ec-mismatched-orphan-private", Pkcs11TestKeys.P256, publicLabel: Mismatched);
        }

        // Nothing in this process ever logs in to the lonely token with the right PIN, so a wrong PIN there meets the
        // token's own C_Login refusal rather than the module's shared-login check.
    }

    public string Directory { get; }

    public string ConfigFile { get; }

    /// <summary>The slot SoftHSM put the main token in (it numbers slots itself when a token is initialised).</summary>
    public ulong TokenSlotId { get; private set; }

    public Pkcs11KeyOptions Options(string signingLabel, string token = Token, string pin = Pin, params string[] verificationLabels)
    {
        var options = new Pkcs11KeyOptions { ModulePath = ModulePath, TokenLabel = token, Pin = pin, SigningKeyLabel = signingLabel };
        foreach (var label in verificationLabels)
        {
            options.VerificationKeyLabels.Add(label);
        }

        return options;
    }

    /// <summary>Runs <paramref name="action"/> in a logged-in session on the main token (as the test's own inspector).</summary>
    public T Inspect<T>(Func<ISession, Pkcs11InteropFactories, T> action)
    {
        var slot = _module.FindSlot(Token, null);
        using var session = slot.OpenSession(SessionType.ReadOnly);
        return action(session, _module.Factories);
    }

    public void Dispose()
    {
        _module.Release();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by the module; the temp dir is cleaned by the OS.
        }
    }

    private void InitToken(string label)
    {
        var start = new ProcessStartInfo("softhsm2-util", ["--init-token", "--free", "--label", label, "--pin", Pin, "--so-pin", SoPin])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SOFTHSM2_CONF"] = ConfigFile;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("softhsm2-util --init-token did not finish within a minute");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {output.Result} {error}");
        }
    }
}
