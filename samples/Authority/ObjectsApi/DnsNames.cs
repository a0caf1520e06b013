using System.Text.RegularExpressions;
using TokenAuthority.Errors;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>Kubernetes' name validation (apimachinery <c>IsDNS1123Subdomain</c> and <c>IsDNS1123Label</c>), with its messages.</summary>
internal static partial class DnsNames
{
    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    private const string SubdomainPattern = LabelPattern + "(\\." + LabelPattern + ")*";

    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    /// <summary>Errors for a value that must be a DNS-1123 subdomain (at most 253 characters); empty when valid.</summary>
    public static IEnumerable<FieldError> ValidateSubdomain(string field, string value)
    {
        if (value.Length > 253)
        {
            yield return FieldError.Invalid(field, value, "must be no more than 253 characters");
        }

        if (!Subdomain().IsMatch(value))
        {
            yield return FieldError.Invalid(field, value, $"{SubdomainMessage} (e.g. 'example.com', regex used for validation is '{SubdomainPattern}')");
        }
    }

    /// <summary>Errors for a value that must be a DNS-1123 label (at most 63 characters), such as a namespace; empty when valid.</summary>
    public static IEnumerable<FieldError> ValidateLabel(string field, string value)
    {
        if (value.Length > 63)
        {
            yield return FieldError.Invalid(field, value, "must be no more than 63 characters");
        }

        if (!Label().IsMatch(value))
        {
            yield return FieldError.Invalid(field, value, $"{LabelMessage} (e.g. 'my-name',  or '123-abc', regex used for validation is '{LabelPattern}')");
        }
    }

    [GeneratedRegex("^(?:" + SubdomainPattern + ")\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^(?:" + LabelPattern + ")\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Label();
}
