using System.Text.RegularExpressions;
using TokenAuthority.Errors;

namespace TokenAuthority.Model;

/// <summary>
/// Kubernetes' name rules (apimachinery <c>IsDNS1123Label</c> and <c>IsDNS1123Subdomain</c>), with its messages.
/// Namespaces are labels; service accounts, pods, secrets and nodes are subdomains. A name outside these rules can
/// name no object, and <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c> stays unambiguous.
/// </summary>
public static partial class KubernetesNames
{
    private const int MaxLabelLength = 63;

    private const int MaxSubdomainLength = 253;

    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    private const string SubdomainPattern = LabelPattern + "(\\." + LabelPattern + ")*";

    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    /// <summary>Whether <paramref name="value"/> is a DNS-1123 label (at most 63 characters), as a namespace must be.</summary>
    /// <param name="value">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsLabel(string? value) => value is { Length: > 0 and <= MaxLabelLength } && Label().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> is a DNS-1123 subdomain (at most 253 characters), as most object names must be.</summary>
    /// <param name="value">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsSubdomain(string? value) => value is { Length: > 0 and <= MaxSubdomainLength } && Subdomain().IsMatch(value);

    /// <summary>Kubernetes' field errors for a value that must be a DNS-1123 subdomain; empty when valid.</summary>
    /// <param name="field">The field path, e.g. <c>metadata.name</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>The errors, in Kubernetes' order.</returns>
    public static IReadOnlyList<FieldError> ValidateSubdomain(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<FieldError>();
        if (value.Length > MaxSubdomainLength)
        {
            errors.Add(FieldError.Invalid(field, value, $"must be no more than {MaxSubdomainLength} characters"));
        }

        if (!Subdomain().IsMatch(value))
        {
            errors.Add(FieldError.Invalid(field, value, $"{SubdomainMessage} (e.g. 'example.com', regex used for validation is '{SubdomainPattern}')"));
        }

        return errors;
    }

    /// <summary>Kubernetes' field errors for a value that must be a DNS-1123 label, such as a namespace; empty when valid.</summary>
    /// <param name="field">The field path, e.g. <c>metadata.namespace</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>The errors, in Kubernetes' order.</returns>
    public static IReadOnlyList<FieldError> ValidateLabel(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<FieldError>();
        if (value.Length > MaxLabelLength)
        {
            errors.Add(FieldError.Invalid(field, value, $"must be no more than {MaxLabelLength} characters"));
        }

        if (!Label().IsMatch(value))
        {
            errors.Add(FieldError.Invalid(field, value, $"{LabelMessage} (e.g. 'my-name',  or '123-abc', regex used for validation is '{LabelPattern}')"));
        }

        return errors;
    }

    [GeneratedRegex("^(?:" + SubdomainPattern + ")\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^(?:" + LabelPattern + ")\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Label();
}
