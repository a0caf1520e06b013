using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TokenAuthority.Verifying;

/// <summary>
/// A compact JWS split into its parts, decoded strictly: base64url without padding and in canonical form
/// (so that no two strings decode to the same token), a header that is a JSON object, a payload that is
/// a JSON object. Nothing here is trusted until the signature is checked.
/// </summary>
internal sealed class CompactJws : IDisposable
{
    // A name given twice is refused at every level: readers disagree on which value wins (the pre-check
    // and JsonElement.TryGetProperty take the last, a claim loop may take the first or merge both), so
    // two "iss", "aud" or "alg" members could be read differently by this verifier and by another one.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private CompactJws(JsonDocument header, JsonDocument payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>
    /// The longest token read (16 KiB, the bound the authentication handler puts on a bearer token): far above
    /// any token this authority issues with a sane audience list, and it keeps a TokenReview body of a
    /// megabyte from being decoded and parsed. The issuer refuses to mint a longer one.
    /// </summary>
    public const int MaxLength = 16 * 1024;

    public JsonDocument Header { get; }

    public JsonDocument Payload { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => Header.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;

    public string? KeyId => Header.RootElement.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;

    /// <summary>Header parameters that would change how the signature is read; go-jose refuses tokens with them.</summary>
    public bool HasCriticalParameters => Header.RootElement.TryGetProperty("crit", out _) || Header.RootElement.TryGetProperty("b64", out _);

    public static CompactJws? TryParse(string token)
    {
        if (token.Length > MaxLength)
        {
            return null;
        }

        // Issuer pre-check rules: not JSON serialisation, exactly three parts.
        if (token.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return null;
        }

        // Exactly three parts: two dots, no third.
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return null;
        }

        var header = DecodeStrict(token.AsSpan(0, firstDot));
        var payload = DecodeStrict(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        var signature = DecodeStrict(token.AsSpan(secondDot + 1));
        // An empty signature still parses (as in go-jose): "alg":"none" tokens are then refused by the
        // signature check with the crypto error, not passed over as someone else's token.
        if (header is null || payload is null || signature is null)
        {
            return null;
        }

        JsonDocument? headerDoc = null;
        try
        {
            // Invalid UTF-8 becomes U+FFFD, as Go's encoding/json reads it; reading the raw bytes would
            // defer the failure to the first GetString() and crash the caller.
            headerDoc = Parse(header);
            var payloadDoc = Parse(payload);
            if (headerDoc.RootElement.ValueKind != JsonValueKind.Object || payloadDoc.RootElement.ValueKind != JsonValueKind.Object
                || !HasReadableStrings(header, headerDoc.RootElement) || !HasReadableStrings(payload, payloadDoc.RootElement))
            {
                headerDoc.Dispose();
                payloadDoc.Dispose();
                return null;
            }

            var signingInput = Encoding.ASCII.GetBytes(token, 0, secondDot);
            return new CompactJws(headerDoc, payloadDoc, signingInput, signature);
        }
        catch (JsonException)
        {
            headerDoc?.Dispose();
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check unescapes every name and throws on a lone surrogate in one.
            headerDoc?.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        Header.Dispose();
        Payload.Dispose();
    }

    /// <summary>
    /// Whether every string and property name can be read: an escaped lone surrogate (<c>"\ud800"</c>) is
    /// valid JSON, but <see cref="JsonElement.GetString"/> throws on it. Checked once here so that no later
    /// read of <c>alg</c>, <c>kid</c>, <c>iss</c> or a claim can throw on an unverified token.
    /// </summary>
    private static bool HasReadableStrings(byte[] json, JsonElement element)
    {
        // Only an escape can spell a lone surrogate (the bytes are valid UTF-8): without "\u" there is none to find.
        if (json.AsSpan().IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        try
        {
            return Readable(element);
        }
        catch (InvalidOperationException)
        {
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

    // Invalid UTF-8 becomes U+FFFD, as Go's encoding/json reads it; parsing the raw bytes would refuse the token
    // (or defer the failure to the first GetString() and crash the caller). Valid UTF-8, the usual case, is parsed
    // as it is, without a round trip through a string.
    private static JsonDocument Parse(byte[] json) => Utf8.IsValid(json)
        ? JsonDocument.Parse(json, StrictJson)
        : JsonDocument.Parse(Encoding.UTF8.GetString(json), StrictJson);

    private static byte[]? DecodeStrict(ReadOnlySpan<char> part)
    {
        if (part.Length == 0)
        {
            return [];
        }

        // Canonical unpadded base64url only (so that a changed character never verifies, and no two strings are the
        // same token): the alphabet and nothing else (no padding, no whitespace, which decoders skip), no length that
        // leaves a lone character, and zero bits where the last character has more than the data needs.
        if (part.IndexOfAnyExcept(Base64UrlAlphabet) >= 0 || part.Length % 4 == 1)
        {
            return null;
        }

        var last = Base64UrlValue(part[^1]);
        if ((part.Length % 4 == 2 && (last & 0x0F) != 0) || (part.Length % 4 == 3 && (last & 0x03) != 0))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        return Base64Url.TryDecodeFromChars(part, bytes, out var written)
            ? (written == bytes.Length ? bytes : bytes[..written])
            : null;
    }

    private static int Base64UrlValue(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
