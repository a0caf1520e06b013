using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Authentication;

/// <summary>Refuses, at start-up, a local scheme without audiences or without a token authority to verify with.</summary>
internal sealed class TokenAuthorityAuthenticationOptionsValidator(IServiceProviderIsService services) : IValidateOptions<TokenAuthorityAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenAuthorityAuthenticationOptions options)
    {
        var failures = AudienceFailures(name, options).ToList();
        if (!services.IsService(typeof(ITokenVerifier)))
        {
            failures.Add($"Authentication scheme '{name}' verifies tokens through the token authority, but none is registered: call services.AddTokenAuthority(...) as well.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static IEnumerable<string> AudienceFailures(string? name, TokenAuthorityAuthenticationOptions options)
    {
        if (options.Audiences.Count == 0)
        {
            yield return $"Authentication scheme '{name}' accepts no audience: add the audiences this service accepts to Audiences (e.g. o.Audiences.Add(\"orders\")); a service that accepts every audience would accept tokens meant for others.";
        }

        if (options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"Authentication scheme '{name}' has an empty audience in Audiences: remove it.";
        }
    }
}
