using System.Buffers.Text;
using System.Text;
using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Issuing;

/// <summary>Signs claims into a compact JWS with the header <c>{"alg","kid"}</c> and nothing else.</summary>
internal static class TokenSigner
{
    public static string Sign(TokenKey key, ServiceAccountTokenClaims claims)
    {
        var header = new GoJsonWriter().BeginObject().Name("alg").String(key.Algorithm).Name("kid").String(key.KeyId).EndObject().ToString();
        var payload = ClaimsSerializer.Serialize(claims);
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
