using System.Buffers.Text;
using System.Text;
using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Issuing;

/// <summary>Signs claims into a compact JWS with the header <c>{"alg","kid"}</c> and nothing else.</summary>
internal static class TokenSigner
{
    /// <summary>
    /// Signs asynchronously, so an external signer (an HSM) never blocks a thread. A key held in the process signs at
    /// once: the returned task is already complete and nothing is awaited.
    /// </summary>
    public static ValueTask<string> SignAsync(TokenKey key, ServiceAccountTokenClaims claims, CancellationToken cancellationToken = default)
    {
        var header = new GoJsonWriter().BeginObject().Name("alg").String(key.Algorithm).Name("kid").String(key.KeyId).EndObject().ToString();
        var payload = ClaimsSerializer.Serialize(claims);
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var pending = key.SignAsync(Encoding.ASCII.GetBytes(signingInput), cancellationToken);
        return pending.IsCompletedSuccessfully
            ? new ValueTask<string>(Compact(signingInput, pending.Result))
            : CompleteAsync(signingInput, pending);
    }

    private static async ValueTask<string> CompleteAsync(string signingInput, ValueTask<byte[]> pending) =>
        Compact(signingInput, await pending.ConfigureAwait(false));

    private static string Compact(string signingInput, byte[] signature) => signingInput + "." + Base64Url.EncodeToString(signature);
}
