using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TokenAuthority.Claims;

/// <summary>
/// The one JSON shape a token part may have: a single object, no name given twice at any level, every string and
/// name readable. Checked once, before anything reads a member, so no reader can disagree with another on which of
/// two <c>iss</c>, <c>aud</c> or <c>alg</c> members wins, and no later read can throw on an unverified token.
/// </summary>
internal static class StrictJson
{
    // Beyond this many members in one object the pairwise name check gives way to JsonDocument's own (a hostile
    // 16 KiB payload of three-byte members must not cost quadratic time).
    private const int MaxPairwiseMembers = 32;

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Invalid UTF-8 becomes U+FFFD, as Go's encoding/json reads it; valid UTF-8, the usual case, is returned as it is.
    /// </summary>
    public static ReadOnlySpan<byte> AsValidUtf8(ReadOnlySpan<byte> json, out byte[]? copy)
    {
        copy = Utf8.IsValid(json) ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json));
        return copy ?? json;
    }

    /// <summary>Whether <paramref name="json"/> (valid UTF-8) is one object with unique, readable names and strings.</summary>
    public static bool IsStrictObject(ReadOnlySpan<byte> json)
    {
        // An escape can spell a name two ways ("a" and "\u0061") or a lone surrogate: those rare parts are checked
        // by JsonDocument, which unescapes every name. Without a backslash, raw bytes are the names themselves.
        if (json.IndexOf((byte)'\\') >= 0)
        {
            return IsStrictObjectSlow(json);
        }

        var result = Scan(json);
        return result ?? IsStrictObjectSlow(json);
    }

    // True or false when decided; null when an object is too large for the pairwise check.
    private static bool? Scan(ReadOnlySpan<byte> json)
    {
        // Names seen in the open objects, as (start, length) pairs; each open object's first pair index on a stack.
        var pairs = json.Length <= 512 ? stackalloc int[json.Length] : default;
        int[]? rented = null;
        if (pairs.IsEmpty)
        {
            rented = ArrayPool<int>.Shared.Rent(json.Length);
            pairs = rented;
        }

        Span<int> frames = stackalloc int[66];
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var depth = 0;
            var count = 0;
            frames[0] = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        frames[++depth] = count;
                        break;
                    case JsonTokenType.EndObject:
                        if (depth > 0)
                        {
                            count = frames[depth--];
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueSpan;
                        var first = frames[depth];
                        if ((count - first) / 2 >= MaxPairwiseMembers)
                        {
                            return null;
                        }

                        for (var i = first; i < count; i += 2)
                        {
                            if (json.Slice(pairs[i], pairs[i + 1]).SequenceEqual(name))
                            {
                                return false;
                            }
                        }

                        pairs[count++] = (int)reader.TokenStartIndex + 1;
                        pairs[count++] = name.Length;
                        break;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private static bool IsStrictObjectSlow(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), NoDuplicates);
            return document.RootElement.ValueKind == JsonValueKind.Object && Readable(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check unescapes every name and throws on a lone surrogate in one;
            // GetString throws on one in a value.
            return false;
        }

        // Depth is bounded by JsonDocumentOptions.MaxDepth (64), so the recursion is too.
        static bool Readable(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    _ = e.GetString();
                    return true;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        _ = p.Name;
                        if (!Readable(p.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        if (!Readable(item))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
    }
}
