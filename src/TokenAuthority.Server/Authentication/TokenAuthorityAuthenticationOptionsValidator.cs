using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Verifying;
using TokenAuthority.Validation;

namespace TokenAuthority.Server;

/// <summary>Refuses, at start-up, a local scheme without audiences or without a token authority to verify with.</summary>
internal sealed class TokenAuthorityAuthenticationOptionsValidator(IServiceProviderIsService services) : IValidateOptions<TokenAuthorityAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenAuthorityAuthenticationOptions options)
    {
        var failures = AuthenticationOptionsChecks.AudienceFailures(name, options).ToList();
        if (!services.IsService(typeof(ITokenVerifier)))
        {
            failures.Add($"Authentication scheme '{name}' verifies tokens through the token authority, but none is registered: call services.AddTokenAuthority(...) as well.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
