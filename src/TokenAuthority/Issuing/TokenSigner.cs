using System.Buffers;
using System.Buffers.Text;
using System.Text;
using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Issuing;

/// <summary>Signs claims into a compact JWS with the header <c>{"alg","kid"}</c> and nothing else.</summary>
/// <remarks>
/// The header is the key's (encoded once per key); the payload is encoded into one pooled buffer beside it, the
/// signature is made over that span, and the token is written once, as a string of the exact length.
/// </remarks>
internal static class TokenSigner
{
    /// <summary>
    /// Signs asynchronously, so an external signer (an HSM) never blocks a thread. A key held in the process signs at
    /// once: the returned task is already complete and nothing is awaited.
    /// </summary>
    public static ValueTask<string> SignAsync(TokenKey key, ServiceAccountTokenClaims claims, CancellationToken cancellationToken = default)
    {
        var header = key.EncodedHeader;
        var payload = ClaimsSerializer.Serialize(claims, RentBuilder());
        var payloadLength = 0;
        foreach (var chunk in payload.GetChunks())
        {
            payloadLength += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        var inputLength = header.Length + 1 + Base64Url.GetEncodedLength(payloadLength);

        // [signing input | payload's UTF-8]: the payload is encoded into the tail, then base64url into the head.
        var buffer = ArrayPool<byte>.Shared.Rent(inputLength + payloadLength);
        var returned = false;
        try
        {
            var utf8 = buffer.AsSpan(inputLength, payloadLength);
            var at = 0;
            foreach (var chunk in payload.GetChunks())
            {
                at += Encoding.UTF8.GetBytes(chunk.Span, utf8[at..]);
            }

            ReturnBuilder(payload);
            header.CopyTo(buffer, 0);
            buffer[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(utf8, buffer.AsSpan(header.Length + 1), out _, out _);

            var pending = key.SignAsync(buffer.AsMemory(0, inputLength), cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                return new ValueTask<string>(Compact(buffer, inputLength, pending.Result));
            }

            returned = true;
            return CompleteAsync(buffer, inputLength, pending);
        }
        finally
        {
            if (!returned)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // One builder per thread for the payload's text (nothing awaits between writing and encoding it); a builder grown
    // past a long audience list is let go rather than kept.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static StringBuilder RentBuilder()
    {
        var builder = t_builder ?? new StringBuilder(1024);
        t_builder = null;
        return builder.Clear();
    }

    private static void ReturnBuilder(StringBuilder builder)
    {
        if (builder.Capacity <= 4096)
        {
            t_builder = builder;
        }
    }

    // The buffer goes back to the pool only once the signer is done with it.
    private static async ValueTask<string> CompleteAsync(byte[] buffer, int inputLength, ValueTask<byte[]> pending)
    {
        try
        {
            return Compact(buffer, inputLength, await pending.ConfigureAwait(false));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Compact(byte[] buffer, int inputLength, byte[] signature) => string.Create(
        inputLength + 1 + Base64Url.GetEncodedLength(signature.Length),
        (buffer, inputLength, signature),
        static (chars, state) =>
        {
            // The signing input is ASCII (base64url and a dot): one char per byte.
            Encoding.ASCII.GetChars(state.buffer.AsSpan(0, state.inputLength), chars);
            chars[state.inputLength] = '.';
            Base64Url.EncodeToChars(state.signature, chars[(state.inputLength + 1)..]);
        });
}
