using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Keys;

namespace TokenAuthority.DependencyInjection;

/// <summary>
/// Reads <see cref="ITokenKeySetProvider.Current"/> at start-up, whichever provider is registered, so a key file
/// that cannot be read or a key that is refused (a short RSA key, an unknown curve, a signing key that cannot
/// sign) stops the host with the reason instead of failing the first request.
/// </summary>
internal sealed class TokenKeySetStartupValidator(IServiceProvider services) : IValidateOptions<TokenKeySetStartupCheck>
{
    public ValidateOptionsResult Validate(string? name, TokenKeySetStartupCheck options)
    {
        try
        {
            _ = services.GetRequiredService<ITokenKeySetProvider>().Current;
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException ex) when (ex.OptionsType == typeof(TokenAuthorityOptions) || ex.OptionsType == typeof(Keys.Ring.KeyRingOptions))
        {
            // The options' own validation reports these; without valid options there are no keys to load.
            return ValidateOptionsResult.Skip;
        }
        catch (Exception ex) when (ex is not OptionsValidationException)
        {
            // Whatever a provider throws (a vault that does not answer included), the host must not start without keys.
            return ValidateOptionsResult.Fail($"The token keys could not be loaded: {ex.Message}");
        }
    }
}
