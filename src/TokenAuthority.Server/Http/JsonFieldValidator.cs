using System.Text.Json;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Finds unknown and duplicate fields in a JSON body the way kube-apiserver's strict decoder reports them
/// (<c>unknown field "spec.foo"</c>, <c>duplicate field "spec.token"</c>), for <c>fieldValidation</c>.
/// Call it only on a body that already deserialised.
/// </summary>
internal static class JsonFieldValidator
{
    /// <summary>The problems, in document order; empty when the body only has known fields.</summary>
    public static IReadOnlyList<string> Check(ReadOnlySpan<byte> json, JsonFieldSchema schema)
    {
        var problems = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            CheckObject(ref reader, schema, string.Empty, problems);
        }

        return problems;
    }

    private static void CheckObject(ref Utf8JsonReader reader, JsonFieldSchema schema, string path, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            if (!seen.Add(name))
            {
                problems.Add($"duplicate field \"{fieldPath}\"");
            }

            var known = schema.TryGetField(name, out var inner);
            if (!known)
            {
                problems.Add($"unknown field \"{fieldPath}\"");
            }

            reader.Read();
            if (known && inner is not null && reader.TokenType == JsonTokenType.StartObject)
            {
                CheckObject(ref reader, inner, fieldPath, problems);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
