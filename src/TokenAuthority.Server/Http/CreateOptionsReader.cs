using Microsoft.AspNetCore.Http;
using TokenAuthority.Errors;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Checks the create query parameters kube-apiserver accepts (<c>dryRun</c>, <c>fieldManager</c>,
/// <c>fieldValidation</c>, <c>pretty</c>); unsupported values get the API server's 422.
/// </summary>
internal static class CreateOptionsReader
{
    /// <summary>Reject unknown and duplicate fields.</summary>
    public const string Strict = "Strict";

    /// <summary>Accept them with a warning (the default).</summary>
    public const string Warn = "Warn";

    /// <summary>Accept them silently.</summary>
    public const string Ignore = "Ignore";

    private static readonly string[] FieldValidationValues = ["", Ignore, Strict, Warn];

    /// <summary>
    /// Validates the query; returns whether it asks for a dry run and the field validation directive
    /// (<c>Strict</c>, <c>Warn</c> or <c>Ignore</c>; <c>Warn</c> when unset, as in kube-apiserver), or the error.
    /// </summary>
    public static (bool DryRun, string FieldValidation, KubernetesError? Error) Read(IQueryCollection query)
    {
        var dryRun = false;
        if (query.TryGetValue("dryRun", out var dryRunValues))
        {
            var values = dryRunValues.Select(v => v ?? string.Empty).ToArray();
            if (values.Any(v => !string.Equals(v, "All", StringComparison.Ordinal)))
            {
                return (false, Warn, KubernetesHttpErrors.InvalidCreateOptions(
                    "dryRun", "[]string{" + string.Join(", ", values.Select(GoQuote.Quote)) + "}", "\"All\""));
            }

            dryRun = values.Length > 0;
        }

        var directive = Warn;
        if (query.TryGetValue("fieldValidation", out var fieldValidation))
        {
            var value = fieldValidation.ToString();
            if (!FieldValidationValues.Contains(value, StringComparer.Ordinal))
            {
                return (false, Warn, KubernetesHttpErrors.InvalidCreateOptions(
                    "fieldValidation", GoQuote.Quote(value), string.Join(", ", FieldValidationValues.Select(GoQuote.Quote))));
            }

            directive = value.Length == 0 ? Warn : value;
        }

        return (dryRun, directive, null);
    }
}
