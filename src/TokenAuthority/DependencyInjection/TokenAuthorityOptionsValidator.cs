using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;
using TokenAuthority.Keys;

namespace TokenAuthority.DependencyInjection;

/// <summary>Validates <see cref="TokenAuthorityOptions"/> at start-up with messages that say what to change.</summary>
internal sealed class TokenAuthorityOptionsValidator(IServiceProviderIsService services) : IValidateOptions<TokenAuthorityOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenAuthorityOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("TokenAuthority:Issuer is required: set it to the https URL that identifies this authority, e.g. https://auth.example.com.");
        }
        else
        {
            CheckHttpsUrl(options.Issuer, "TokenAuthority:Issuer", failures);
        }

        foreach (var issuer in options.AcceptedIssuers)
        {
            if (string.IsNullOrWhiteSpace(issuer))
            {
                failures.Add("TokenAuthority:AcceptedIssuers may not contain an empty issuer.");
            }
        }

        if (options.JwksUri is not null)
        {
            CheckHttpsUrl(options.JwksUri, "TokenAuthority:JwksUri", failures);
        }

        if (options.MaxExpirationSeconds != 0
            && options.MaxExpirationSeconds is < 3600 or > TokenAuthorityOptions.MaxExpirationLimitSeconds)
        {
            failures.Add($"TokenAuthority:MaxExpirationSeconds is {options.MaxExpirationSeconds}: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds (3600 to 4294967296), or 0 for no cap.");
        }

        if (options.MaxExtendedExpirationSeconds is < 3607 or > TokenAuthorityOptions.MaxExpirationLimitSeconds)
        {
            failures.Add($"TokenAuthority:MaxExtendedExpirationSeconds is {options.MaxExtendedExpirationSeconds}: it must be between 3607 and 2^32 seconds.");
        }

        if (options.ResolverTimeout <= TimeSpan.Zero)
        {
            failures.Add("TokenAuthority:ResolverTimeout must be positive, e.g. 00:00:05.");
        }

        CheckKeys(options, failures);

        // The kinds form one table with the built-in ones: no kind, and no claim member, may be there twice.
        var kindNames = new HashSet<string>(BoundObjectKind.BuiltIn.Select(k => k.Kind).Append(BoundObjectKinds.ServiceAccount), StringComparer.Ordinal);
        var claimNames = new HashSet<string>(BoundObjectKind.BuiltIn.Select(k => k.EffectiveClaimName).Concat(["namespace", "serviceaccount", "warnafter"]), StringComparer.Ordinal);
        foreach (var kind in options.BoundObjectKinds)
        {
            if (kind is null || string.IsNullOrWhiteSpace(kind.Kind) || string.IsNullOrWhiteSpace(kind.Resource) || !kindNames.Add(kind.Kind))
            {
                failures.Add($"Bound object kind \"{kind?.Kind}\" cannot be registered: give a new kind name (not Pod, Secret, Node, ServiceAccount or one registered already) and its plural resource name.");
            }
            else if (!claimNames.Add(kind.EffectiveClaimName))
            {
                failures.Add($"Bound object kind \"{kind.Kind}\" uses the claim name \"{kind.EffectiveClaimName}\", which Kubernetes or another registered kind already uses; set ClaimName.");
            }
        }

        if (!services.IsService(typeof(IBoundObjectResolver)))
        {
            failures.Add("No IBoundObjectResolver is registered: call AddTokenAuthority(...).AddBoundObjectResolver<T>() with your store, or .AddInMemoryBoundObjects() for tests and quick starts.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckHttpsUrl(string value, string setting, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{setting} \"{value}\" must be an absolute https URL (issuer URL must use https scheme).");
            return;
        }

        if (!string.IsNullOrEmpty(uri.Query) || value.Contains('?', StringComparison.Ordinal))
        {
            failures.Add($"{setting} \"{value}\" may not include a query.");
        }

        if (!string.IsNullOrEmpty(uri.Fragment) || value.Contains('#', StringComparison.Ordinal))
        {
            failures.Add($"{setting} \"{value}\" may not include a fragment.");
        }
    }

    // Key strength and curve are not checked here: TokenKey refuses a short RSA key or an unknown curve when the
    // key is made, so a SigningKey object is sound by construction and a PEM's refusal is its parse error.
    private static void CheckKeys(TokenAuthorityOptions options, List<string> failures)
    {
        var sources = new[] { options.SigningKey is not null, options.SigningKeyPem is not null, options.SigningKeyFile is not null }.Count(b => b);
        if (sources > 1)
        {
            failures.Add("Set only one of TokenAuthority:SigningKey, SigningKeyPem and SigningKeyFile.");
        }

        if (options.SigningKey is { HasPrivateKey: false })
        {
            failures.Add("TokenAuthority:SigningKey has no private part; a signing key must be a private key.");
        }

        if (options.SigningKeyFile is { } file)
        {
            CheckPem(file, "TokenAuthority:SigningKeyFile", requirePrivate: true, failures);
        }
        else if (options.SigningKeyPem is { } pem)
        {
            try
            {
                var keys = TokenKey.ParsePem(pem);
                if (!keys[0].HasPrivateKey)
                {
                    failures.Add("TokenAuthority:SigningKeyPem holds a public key; a private key is needed to sign.");
                }

                DisposeAll(keys);
            }
            catch (FormatException ex)
            {
                failures.Add($"TokenAuthority:SigningKeyPem is not a usable key: {ex.Message}.");
            }
        }

        foreach (var f in options.VerificationKeyFiles)
        {
            CheckPem(f, "TokenAuthority:VerificationKeyFiles", requirePrivate: false, failures);
        }

        for (var i = 0; i < options.VerificationKeyPems.Count; i++)
        {
            try
            {
                DisposeAll(TokenKey.ParsePem(options.VerificationKeyPems[i] ?? string.Empty));
            }
            catch (FormatException ex)
            {
                failures.Add($"TokenAuthority:VerificationKeyPems:{i} is not a usable key: {ex.Message}.");
            }
        }

        if (options.VerificationKeys.Any(k => k is null))
        {
            failures.Add("TokenAuthority:VerificationKeys holds a null key.");
        }
    }

    private static void CheckPem(string path, string setting, bool requirePrivate, List<string> failures)
    {
        try
        {
            var keys = TokenKey.ParsePem(File.ReadAllText(path));
            if (requirePrivate && !keys[0].HasPrivateKey)
            {
                failures.Add($"{setting} \"{path}\" holds a public key; a private key is needed to sign.");
            }

            DisposeAll(keys);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException)
        {
            // Only the reason: never the file's content.
            failures.Add($"{setting} \"{path}\" cannot be used: {ex.Message}");
        }
    }

    // Only looked at: the provider loads the keys it uses.
    private static void DisposeAll(IReadOnlyList<TokenKey> keys)
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }
}
