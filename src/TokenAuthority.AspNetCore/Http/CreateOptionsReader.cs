using Microsoft.AspNetCore.Http;
using TokenAuthority.Errors;

namespace TokenAuthority.AspNetCore.Http;

/// <summary>
/// Checks the create query parameters kube-apiserver accepts (<c>dryRun</c>, <c>fieldManager</c>,
/// <c>fieldValidation</c>, <c>pretty</c>); unsupported values get the API server's 422.
/// </summary>
internal static class CreateOptionsReader
{
    private static readonly string[] FieldValidationValues = ["", "Ignore", "Strict", "Warn"];

    /// <summary>Validates the query; returns whether it asks for a dry run, or the error.</summary>
    public static (bool DryRun, KubernetesError? Error) Read(IQueryCollection query)
    {
        var dryRun = false;
        if (query.TryGetValue("dryRun", out var dryRunValues))
        {
            var values = dryRunValues.Select(v => v ?? string.Empty).ToArray();
            if (values.Any(v => !string.Equals(v, "All", StringComparison.Ordinal)))
            {
                return (false, KubernetesHttpErrors.InvalidCreateOptions(
                    "dryRun", "[]string{" + string.Join(", ", values.Select(GoQuote.Quote)) + "}", "\"All\""));
            }

            dryRun = values.Length > 0;
        }

        if (query.TryGetValue("fieldValidation", out var fieldValidation))
        {
            var value = fieldValidation.ToString();
            if (!FieldValidationValues.Contains(value, StringComparer.Ordinal))
            {
                return (false, KubernetesHttpErrors.InvalidCreateOptions(
                    "fieldValidation", GoQuote.Quote(value), string.Join(", ", FieldValidationValues.Select(GoQuote.Quote))));
            }
        }

        return (dryRun, null);
    }
}
