using Microsoft.Extensions.Options;

namespace TokenAuthority.Client;

/// <summary>Checks the token source's timings at start-up.</summary>
internal sealed class ServiceAccountTokenSourceOptionsValidator : IValidateOptions<ServiceAccountTokenSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceAccountTokenSourceOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRefreshJitter < TimeSpan.Zero || options.MaxRefreshJitter > TimeSpan.FromMinutes(5))
        {
            failures.Add("MaxRefreshJitter must be between 0 and 5 minutes (the kubelet uses 10 seconds).");
        }
        if (options.MaxTokenAge < TimeSpan.FromSeconds(10))
        {
            failures.Add("MaxTokenAge must be at least 10 seconds (the kubelet uses 24 hours).");
        }
        if (options.RetryInitialDelay <= TimeSpan.Zero)
        {
            failures.Add("RetryInitialDelay must be positive.");
        }
        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            failures.Add("RetryMaxDelay must be at least RetryInitialDelay.");
        }
        if (options.Namespace is { Length: 0 } || options.ServiceAccountName is { Length: 0 })
        {
            failures.Add("Namespace and ServiceAccountName must not be empty when set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
