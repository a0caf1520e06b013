using Microsoft.Extensions.Options;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>Validates <see cref="TokenAuthorityEndpointOptions"/> with messages that say what to change.</summary>
internal sealed class TokenAuthorityEndpointOptionsValidator : IValidateOptions<TokenAuthorityEndpointOptions>
{
    /// <summary>Smallest accepted body limit.</summary>
    public const long MinBodySize = 1024;

    /// <summary>Largest accepted body limit.</summary>
    public const long MaxBodySize = 64L * 1024 * 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TokenAuthorityEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBodySize is < MinBodySize or > MaxBodySize)
        {
            failures.Add($"TokenAuthorityEndpointOptions.MaxRequestBodySize must be between {MinBodySize} and {MaxBodySize} bytes, got {options.MaxRequestBodySize}.");
        }

        if (KubernetesVersionInfo.TryParse(options.KubernetesVersion) is null)
        {
            failures.Add($"TokenAuthorityEndpointOptions.KubernetesVersion must look like \"v1.33.0\", got \"{options.KubernetesVersion}\".");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
