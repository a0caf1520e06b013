using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Keys.Ring;

/// <summary>Checks the ring's timeline at start-up and explains each relation that does not hold.</summary>
internal sealed class KeyRingOptionsValidator(IOptions<TokenAuthorityOptions> authority, IServiceProviderIsService services) : IValidateOptions<KeyRingOptions>
{
    private static readonly string[] Algorithms = ["RS256", "ES256", "ES384", "ES512"];

    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        var failures = new List<string>();
        if (options.JwksMaxAge < TimeSpan.FromSeconds(1))
        {
            failures.Add($"TokenAuthority:Keys:JwksMaxAge is {options.JwksMaxAge}: it is the Cache-Control max-age of the JWKS and must be at least one second (kube-apiserver uses 01:00:00).");
        }

        if (options.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"TokenAuthority:Keys:RefreshInterval is {options.RefreshInterval}: the ring is re-read this often and it must be at least one second, e.g. 00:01:00.");
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            failures.Add("TokenAuthority:Keys:LockTimeout must be positive, e.g. 00:00:30.");
        }

        // The relations matter only when a ring is in use; JwksMaxAge alone sets the documents' Cache-Control.
        var ringInUse = options.Directory is not null || services.IsService(typeof(IKeyRingStore));
        var lead = options.JwksMaxAge + options.RefreshInterval;
        if (ringInUse && options.RotationInterval <= lead)
        {
            failures.Add($"TokenAuthority:Keys:RotationInterval is {options.RotationInterval}, but a new key must be published for JwksMaxAge ({options.JwksMaxAge}) plus RefreshInterval ({options.RefreshInterval}) before it signs, so that every verifier's cached JWKS has it: make RotationInterval longer than {lead} (at least twice that in practice), or JwksMaxAge shorter.");
        }

        if (!Algorithms.Contains(options.Algorithm, StringComparer.Ordinal))
        {
            failures.Add($"TokenAuthority:Keys:Algorithm \"{options.Algorithm}\" is not supported: use RS256 (RSA 2048), ES256, ES384 or ES512.");
        }

        if (options.Directory is not null)
        {
            if (string.IsNullOrWhiteSpace(options.Directory))
            {
                failures.Add("TokenAuthority:Keys:Directory is empty: name the directory the key ring lives in, or remove the setting.");
            }

            TokenAuthorityOptions? o = null;
            try
            {
                o = authority.Value;
            }
            catch (OptionsValidationException)
            {
                // Reported by the authority's own validation.
            }

            if (o is not null && (o.SigningKey is not null || o.SigningKeyFile is not null || o.SigningKeyPem is not null))
            {
                failures.Add("TokenAuthority:Keys:Directory and a signing key (SigningKey, SigningKeyFile or SigningKeyPem) are both set: keep one. To move a single key file into a key ring, set TokenAuthority:Keys:ImportKeyFile to it instead.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
