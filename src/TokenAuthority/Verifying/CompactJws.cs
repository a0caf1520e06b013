using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using TokenAuthority.Claims;

namespace TokenAuthority.Verifying;

/// <summary>
/// A compact JWS split into its parts, decoded strictly: base64url without padding and in canonical form
/// (so that no two strings decode to the same token), a header that is a JSON object, a payload that is
/// a JSON object, neither with a name given twice at any level (<see cref="StrictJson"/>). Nothing here is
/// trusted until the signature is checked.
/// </summary>
/// <remarks>
/// The decoded parts and the signing input live in one pooled buffer, returned by <see cref="Dispose"/>: a parse
/// allocates nothing but the <c>kid</c> of a header whose <c>kid</c> is not plain ASCII.
/// </remarks>
internal struct CompactJws : IDisposable
{
    /// <summary>
    /// The longest token read (16 KiB, the bound the authentication handler puts on a bearer token): far above
    /// any token this authority issues with a sane audience list, and it keeps a TokenReview body of a
    /// megabyte from being decoded and parsed. The issuer refuses to mint a longer one.
    /// </summary>
    public const int MaxLength = 16 * 1024;

    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly string[] KnownAlgorithms = ["RS256", "ES256", "ES384", "ES512"];

    private byte[]? _buffer;
    private byte[]? _payloadCopy;
    private int _payloadStart;
    private int _payloadLength;
    private int _signatureStart;
    private int _signatureLength;
    private int _signingInputLength;
    private string? _kid;
    private int _kidStart;
    private int _kidLength;

    /// <summary>The decoded payload (valid UTF-8: invalid sequences became U+FFFD).</summary>
    public readonly ReadOnlySpan<byte> Payload => _payloadCopy ?? _buffer.AsSpan(_payloadStart, _payloadLength);

    /// <summary>The ASCII bytes the signature covers: header and payload as they came, with the dot between.</summary>
    public readonly ReadOnlySpan<byte> SigningInput => _buffer.AsSpan(0, _signingInputLength);

    public readonly ReadOnlySpan<byte> Signature => _buffer.AsSpan(_signatureStart, _signatureLength);

    /// <summary>The header's <c>alg</c> when it is a string, else null; the registered names are shared strings.</summary>
    public string? Algorithm { get; private set; }

    /// <summary>Whether the header names a non-empty <c>kid</c> (else every verification key is tried, as go-jose does).</summary>
    public readonly bool HasKeyId => _kid is { Length: > 0 } || _kidLength > 0;

    /// <summary>Header parameters that would change how the signature is read; go-jose refuses tokens with them.</summary>
    public bool HasCriticalParameters { get; private set; }

    public static bool TryParse(string token, out CompactJws jws)
    {
        jws = default;
        if (token.Length > MaxLength)
        {
            return false;
        }

        // Issuer pre-check rules: not JSON serialisation, exactly three parts.
        if (token.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return false;
        }

        // Exactly three parts: two dots, no third.
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return false;
        }

        var headerPart = token.AsSpan(0, firstDot);
        var payloadPart = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var signaturePart = token.AsSpan(secondDot + 1);

        // One buffer: signing input, then header, payload and signature decoded.
        var buffer = ArrayPool<byte>.Shared.Rent(secondDot + token.Length);
        var ok = false;
        try
        {
            var span = buffer.AsSpan();
            // The parts are checked below to be the base64url alphabet: ASCII, one byte per character.
            var signingInputLength = Encoding.ASCII.GetBytes(token.AsSpan(0, secondDot), span);
            var at = signingInputLength;
            // An empty signature still parses (as in go-jose): "alg":"none" tokens are then refused by the
            // signature check with the crypto error, not passed over as someone else's token.
            if (!DecodeStrict(headerPart, span[at..], out var headerLength))
            {
                return false;
            }

            var headerStart = at;
            at += headerLength;
            if (!DecodeStrict(payloadPart, span[at..], out var payloadLength))
            {
                return false;
            }

            var payloadStart = at;
            at += payloadLength;
            if (!DecodeStrict(signaturePart, span[at..], out var signatureLength))
            {
                return false;
            }

            jws._buffer = buffer;
            jws._signingInputLength = signingInputLength;
            jws._signatureStart = at;
            jws._signatureLength = signatureLength;
            jws._payloadStart = payloadStart;
            jws._payloadLength = payloadLength;

            var header = StrictJson.AsValidUtf8(span.Slice(headerStart, headerLength), out var headerCopy);
            var payload = StrictJson.AsValidUtf8(span.Slice(payloadStart, payloadLength), out jws._payloadCopy);
            if (!StrictJson.IsStrictObject(header) || !StrictJson.IsStrictObject(payload))
            {
                return false;
            }

            jws.ReadHeader(header, headerCopy is null ? headerStart : -1);
            ok = true;
            return true;
        }
        finally
        {
            if (!ok)
            {
                jws = default;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Whether the header's <c>kid</c> is <paramref name="keyId"/>.</summary>
    public readonly bool KeyIdIs(string keyId) => _kid is not null
        ? string.Equals(_kid, keyId, StringComparison.Ordinal)
        : Ascii.Equals(_buffer.AsSpan(_kidStart, _kidLength), keyId);

    /// <summary>The <c>iss</c> of the (unverified) payload, when it is a string equal to one of <paramref name="issuers"/>.</summary>
    public readonly bool IssuerIsOneOf(string[] issuers)
    {
        var r = new Utf8JsonReader(Payload);
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("iss"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                foreach (var issuer in issuers)
                {
                    if (r.ValueTextEquals(issuer))
                    {
                        return true;
                    }
                }

                return false;
            }

            r.Read();
            r.Skip();
        }

        return false;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // alg and kid as strings (anything else reads as absent), crit and b64 by presence. A kid of plain ASCII is kept
    // as a place in the buffer (headerStart, or -1 when the header is a repaired copy) and compared there.
    private void ReadHeader(ReadOnlySpan<byte> header, int headerStart)
    {
        var r = new Utf8JsonReader(header);
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("alg"u8))
            {
                r.Read();
                Algorithm = r.TokenType == JsonTokenType.String ? AlgorithmName(ref r) : null;
            }
            else if (r.ValueTextEquals("kid"u8))
            {
                r.Read();
                _kid = null;
                _kidLength = 0;
                if (r.TokenType == JsonTokenType.String)
                {
                    if (headerStart >= 0 && !r.ValueIsEscaped && Ascii.IsValid(r.ValueSpan))
                    {
                        _kidStart = headerStart + (int)r.TokenStartIndex + 1;
                        _kidLength = r.ValueSpan.Length;
                    }
                    else
                    {
                        _kid = r.GetString();
                    }
                }
            }
            else
            {
                if (r.ValueTextEquals("crit"u8) || r.ValueTextEquals("b64"u8))
                {
                    HasCriticalParameters = true;
                }

                r.Read();
                r.Skip();
            }
        }
    }

    private static string AlgorithmName(ref Utf8JsonReader r)
    {
        foreach (var known in KnownAlgorithms)
        {
            if (r.ValueTextEquals(known))
            {
                return known;
            }
        }

        return r.GetString()!;
    }

    private static bool DecodeStrict(ReadOnlySpan<char> part, Span<byte> destination, out int written)
    {
        written = 0;
        if (part.Length == 0)
        {
            return true;
        }

        // Canonical unpadded base64url only (so that a changed character never verifies, and no two strings are the
        // same token): the alphabet and nothing else (no padding, no whitespace, which decoders skip), no length that
        // leaves a lone character, and zero bits where the last character has more than the data needs.
        if (part.IndexOfAnyExcept(Base64UrlAlphabet) >= 0 || part.Length % 4 == 1)
        {
            return false;
        }

        var last = Base64UrlValue(part[^1]);
        if ((part.Length % 4 == 2 && (last & 0x0F) != 0) || (part.Length % 4 == 3 && (last & 0x03) != 0))
        {
            return false;
        }

        return Base64Url.TryDecodeFromChars(part, destination, out written);
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
