using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace TokenAuthority.Validation;

/// <summary>
/// What a bearer token says about itself before anyone has checked its signature, read from a compact JWS by the
/// rules of the authority's own parser: three parts of canonical unpadded base64url, a header and a payload that
/// are JSON objects naming no member twice (and a non-empty signature: an empty one never verifies). So a token
/// the authority could accept is always read. Nothing read here is trusted until the authority has reviewed this
/// exact token string.
/// </summary>
internal sealed class UnverifiedToken
{
    // As the authority's own parser: a name given twice could be read one way here and another way there.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private UnverifiedToken(string? issuer, long? expires)
    {
        Issuer = issuer;
        Expires = expires;
    }

    /// <summary>The <c>iss</c> claim, or null when absent, not a string or not readable.</summary>
    public string? Issuer { get; }

    /// <summary>The <c>exp</c> claim in Unix seconds (a fraction rounded down), or null when absent or not a number.</summary>
    public long? Expires { get; }

    /// <summary>Reads <paramref name="token"/>; null when it is not a compact JWS of JSON objects.</summary>
    public static UnverifiedToken? TryRead(string token)
    {
        if (token.Length > BearerToken.MaxLength)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[2].Length == 0 || !IsJsonObject(parts[0]))
        {
            return null;
        }

        var payload = Decode(parts[1]);
        if (payload is null)
        {
            return null;
        }

        try
        {
            using var document = Parse(payload);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && IsCanonical(parts[2])
                ? new UnverifiedToken(ReadIssuer(root), ReadExpires(root))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check unescapes every name and throws on a lone surrogate in one.
            return null;
        }
    }

    private static string? ReadIssuer(JsonElement payload)
    {
        if (!payload.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return iss.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate is valid JSON but no string; such a token is no one's.
            return null;
        }
    }

    private static long? ReadExpires(JsonElement payload)
    {
        if (!payload.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (exp.TryGetInt64(out var seconds))
        {
            return Math.Clamp(seconds, 0, MaxUnixSeconds);
        }

        // A fraction (NumericDate allows one) is rounded down, so the cache never adds to the token's life.
        return exp.TryGetDouble(out var value) && double.IsFinite(value)
            ? (long)Math.Clamp(Math.Floor(value), 0, MaxUnixSeconds)
            : null;
    }

    private static bool IsJsonObject(string part)
    {
        var bytes = Decode(part);
        if (bytes is null)
        {
            return false;
        }

        try
        {
            using var document = Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsCanonical(string part) => Decode(part) is not null;

    // Invalid UTF-8 becomes U+FFFD, as the authority (and Go's encoding/json) reads it, so no token it accepts is refused here.
    private static JsonDocument Parse(byte[] json) => JsonDocument.Parse(Encoding.UTF8.GetString(json), StrictJson);

    /// <summary>Strict base64url: no padding, and only the canonical encoding of its bytes (no stray low bits).</summary>
    private static byte[]? Decode(string part)
    {
        if (part.Length == 0 || part.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(part);
            return string.Equals(Base64Url.EncodeToString(bytes), part, StringComparison.Ordinal) ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
