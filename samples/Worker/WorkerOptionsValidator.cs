using Microsoft.Extensions.Options;

namespace TokenAuthority.Samples.Worker;

/// <summary>Refuses settings the worker cannot run with, at start-up.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();
        if (!options.OrdersUrl.IsAbsoluteUri)
        {
            failures.Add("Worker:OrdersUrl must be an absolute URL such as http://127.0.0.1:5080.");
        }
        if (string.IsNullOrEmpty(options.Audience))
        {
            failures.Add("Worker:Audience must name the audience OrdersApi accepts (orders).");
        }
        if (options.Interval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add("Worker:Interval must be at least 00:00:00.1.");
        }
        if (options.ExpirationSeconds < 600)
        {
            failures.Add("Worker:ExpirationSeconds must be at least 600 (the authority's shortest lifetime).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
