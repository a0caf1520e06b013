using System.Globalization;

namespace TokenAuthority.Errors;

/// <summary>
/// One field validation error, rendered as Kubernetes' <c>field.Error</c> does:
/// <c>&lt;field&gt;: Invalid value: &lt;value&gt;: &lt;detail&gt;</c>.
/// </summary>
/// <param name="Type">The cause reason, e.g. <c>FieldValueInvalid</c>.</param>
/// <param name="Field">The field path, e.g. <c>spec.expirationSeconds</c>.</param>
/// <param name="Value">The offending value; integers print bare, strings quoted.</param>
/// <param name="Text">The human-readable detail.</param>
public sealed record FieldError(string Type, string Field, object? Value, string Text)
{
    /// <summary>A <c>FieldValueInvalid</c> error.</summary>
    public static FieldError Invalid(string field, object? value, string detail) => new("FieldValueInvalid", field, value, detail);

    /// <summary>A <c>FieldValueRequired</c> error.</summary>
    public static FieldError Required(string field, string detail = "") => new("FieldValueRequired", field, null, detail);

    /// <summary>The message without the field path, as it appears in <c>details.causes[].message</c>.</summary>
    public string Detail() => Type switch
    {
        "FieldValueRequired" => string.IsNullOrEmpty(Text) ? "Required value" : "Required value: " + Text,
        _ => $"Invalid value: {RenderValue(Value)}: {Text}",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Detail()}";

    private static string RenderValue(object? value) => value switch
    {
        null => "null",
        string s => GoQuote.Quote(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
