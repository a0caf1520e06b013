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

    /// <summary>Largest accepted <see cref="TokenRequestRateLimitOptions.TokenLimit"/>.</summary>
    public const int MaxTokenLimit = 1_000_000;

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

        var limit = options.TokenRequestRateLimit;
        if (limit.Enabled)
        {
            if (limit.TokenLimit is < 1 or > MaxTokenLimit)
            {
                failures.Add($"TokenAuthorityEndpointOptions.TokenRequestRateLimit.TokenLimit must be between 1 and {MaxTokenLimit}, got {limit.TokenLimit}.");
            }

            if (limit.TokensPerPeriod < 1 || limit.TokensPerPeriod > Math.Max(limit.TokenLimit, 1))
            {
                failures.Add($"TokenAuthorityEndpointOptions.TokenRequestRateLimit.TokensPerPeriod must be between 1 and TokenLimit ({limit.TokenLimit}), got {limit.TokensPerPeriod}.");
            }

            if (limit.ReplenishmentPeriod < TimeSpan.FromMilliseconds(1) || limit.ReplenishmentPeriod > TimeSpan.FromDays(1))
            {
                failures.Add($"TokenAuthorityEndpointOptions.TokenRequestRateLimit.ReplenishmentPeriod must be between 1 ms and 1 day, got {limit.ReplenishmentPeriod}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
