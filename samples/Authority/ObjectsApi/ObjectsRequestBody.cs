using System.Globalization;
using System.Text;
using System.Text.Json;
using TokenAuthority.Errors;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// Decodes an objects API body in the words TokenAuthority's TokenRequest endpoint uses
/// (<c>Secret in version "v1" cannot be handled as a Secret: invalid JSON at $.metadata.name</c>), and finds
/// duplicate fields (<c>duplicate field "metadata.name"</c>) for the <c>Warning: 299</c> header, as kube-apiserver's
/// default field validation (<c>Warn</c>) does. The library's reader is internal, so the sample keeps this small copy
/// of its wording; unknown fields are not reported because the sample's objects carry only a subset of Kubernetes' fields.
/// </summary>
internal static class ObjectsRequestBody
{
    /// <summary>The object, or the Status to answer; <paramref name="body"/> is the raw request body.</summary>
    public static (KubeObject? Value, KubernetesError? Error) Decode(ReadOnlySpan<byte> body, ObjectResource resource)
    {
        var kind = resource.Kind;
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.IsEmpty)
        {
            return (null, KubernetesError.BadRequest($"the request body must be a {kind} object"));
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return (null, KubernetesError.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: the body is not valid UTF-8"));
        }

        KubeObject? value;
        try
        {
            value = JsonSerializer.Deserialize(body, ObjectsJsonContext.Default.KubeObject);
        }
        catch (JsonException e)
        {
            return (null, KubernetesError.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: {Describe(e)}"));
        }

        return value is null
            ? (null, KubernetesError.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: the body is not a JSON object"))
            : (value, null);
    }

    /// <summary>
    /// The duplicate fields of a body that already decoded, in document order, and <c>metadata.generateName</c>
    /// when it is set (the sample does not generate names).
    /// </summary>
    public static (IReadOnlyList<string> Duplicates, string? GenerateName) Inspect(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var duplicates = new List<string>();
        string? generateName = null;
        var reader = new Utf8JsonReader(body);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Walk(ref reader, string.Empty, duplicates, ref generateName);
        }

        return (duplicates, generateName);
    }

    /// <summary>Adds <paramref name="warnings"/> as <c>Warning: 299 - "text"</c> headers, as kube-apiserver does.</summary>
    public static void AddWarnings(HttpResponse response, IReadOnlyList<string> warnings)
    {
        foreach (var text in warnings.Distinct(StringComparer.Ordinal))
        {
            var quoted = new StringBuilder(text.Length + 2).Append('"');
            foreach (var c in text)
            {
                if (c is '"' or '\\')
                {
                    quoted.Append('\\');
                }

                quoted.Append(c);
            }

            response.Headers.Append("Warning", "299 - " + quoted.Append('"'));
        }
    }

    private static void Walk(ref Utf8JsonReader reader, string path, List<string> duplicates, ref string? generateName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            if (!seen.Add(name))
            {
                duplicates.Add($"duplicate field \"{fieldPath}\"");
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject && path.Length == 0)
            {
                Walk(ref reader, fieldPath, duplicates, ref generateName);
            }
            else
            {
                if (fieldPath == "metadata.generateName" && reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } value)
                {
                    generateName = value;
                }

                reader.Skip();
            }
        }
    }

    private static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, column {column + 1})")
            : string.Empty;
        return string.IsNullOrEmpty(e.Path) || e.Path == "$"
            ? "invalid JSON" + where
            : $"invalid JSON at {e.Path}{where}";
    }
}
