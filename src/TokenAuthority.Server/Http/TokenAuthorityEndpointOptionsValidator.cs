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

    /// <summary>The verbs a <see cref="KubernetesApiResource"/> may list.</summary>
    private static readonly string[] KnownVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

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

        ValidateCoreResources(options.CoreResources, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateCoreResources(IList<KubernetesApiResource> resources, List<string> failures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { KubernetesDiscoveryDocuments.TokenSubresource };
        var shortNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource is null)
            {
                failures.Add("TokenAuthorityEndpointOptions.CoreResources must not contain null.");
                continue;
            }

            var prefix = $"TokenAuthorityEndpointOptions.CoreResources[\"{resource.Name}\"]";
            if (!IsResourceName(resource.Name))
            {
                failures.Add($"{prefix}.Name must be a lower-case plural resource name such as \"pods\".");
            }
            else if (!names.Add(resource.Name))
            {
                failures.Add($"{prefix} is listed twice (or is the authority's own serviceaccounts/token).");
            }

            if (string.IsNullOrWhiteSpace(resource.Kind) || !char.IsAsciiLetterUpper(resource.Kind[0]) || !resource.Kind.All(char.IsAsciiLetterOrDigit))
            {
                failures.Add($"{prefix}.Kind must be a kind such as \"Pod\", got \"{resource.Kind}\".");
            }

            if (resource.SingularName is not null && !IsResourceName(resource.SingularName))
            {
                failures.Add($"{prefix}.SingularName must be a lower-case name such as \"pod\", got \"{resource.SingularName}\".");
            }

            if (resource.Verbs is null || resource.Verbs.Count == 0 || resource.Verbs.Any(v => !KnownVerbs.Contains(v)))
            {
                failures.Add($"{prefix}.Verbs must list one or more of {string.Join(", ", KnownVerbs)}.");
            }

            foreach (var shortName in resource.ShortNames ?? [])
            {
                if (!IsResourceName(shortName) || !shortNames.Add(shortName))
                {
                    failures.Add($"{prefix}.ShortNames has an invalid or repeated short name \"{shortName}\".");
                }
            }
        }
    }

    private static bool IsResourceName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) && char.IsAsciiLetterLower(name[0]);
}
