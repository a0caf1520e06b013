using Microsoft.Extensions.Options;

namespace TokenAuthority.Pkcs11.DependencyInjection;

/// <summary>Checks that <see cref="Pkcs11KeyOptions"/> names a module, one token, a PIN and a signing key.</summary>
internal sealed class Pkcs11KeyOptionsValidator : IValidateOptions<Pkcs11KeyOptions>
{
    public ValidateOptionsResult Validate(string? name, Pkcs11KeyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModulePath))
        {
            failures.Add("Pkcs11:ModulePath is not set: name the HSM's PKCS#11 library (for SoftHSM2, /usr/lib/softhsm/libsofthsm2.so).");
        }

        if (string.IsNullOrEmpty(options.TokenLabel) == (options.SlotId is null))
        {
            failures.Add("Set exactly one of Pkcs11:TokenLabel and Pkcs11:SlotId to choose the token that holds the keys.");
        }

        if (string.IsNullOrEmpty(options.Pin))
        {
            failures.Add("Pkcs11:Pin is not set: give the token's user PIN (from a secret store or an environment variable).");
        }

        if (string.IsNullOrEmpty(options.SigningKeyLabel))
        {
            failures.Add("Pkcs11:SigningKeyLabel is not set: name the label (CKA_LABEL) of the key tokens are signed with.");
        }

        if (options.VerificationKeyLabels.Any(string.IsNullOrEmpty))
        {
            failures.Add("Pkcs11:VerificationKeyLabels holds an empty label.");
        }

        if (options.MaxSessions is < 1 or > 256)
        {
            failures.Add($"Pkcs11:MaxSessions is {options.MaxSessions}; use a number from 1 to 256.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
