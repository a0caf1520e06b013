using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>
/// Reads RFC 3339 timestamps (any offset, optional fractions) and writes them as Kubernetes does:
/// UTC, whole seconds, ending in <c>Z</c>. Clients such as kubectl reject timestamps without an offset.
/// </summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            || !(text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text)))
        {
            throw new JsonException($"timestamp \"{text}\" is not an RFC 3339 time with an offset");
        }

        return value.ToUniversalTime();
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(Format(value.Value));
    }

    /// <summary>Formats a time the Kubernetes way: <c>yyyy-MM-ddTHH:mm:ssZ</c> in UTC.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 0)
        {
            return false;
        }

        var rest = text.AsSpan(t);
        return rest.Contains('+') || rest.LastIndexOf('-') > 0;
    }
}
