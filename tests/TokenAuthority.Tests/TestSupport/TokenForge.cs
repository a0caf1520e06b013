using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using TokenAuthority.Claims;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>Builds hand-made tokens: chosen claims or raw header/payload JSON, signed with a test key.</summary>
internal static class TokenForge
{
    public static TokenKey RsaKey() => TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];

    public static TokenKey EcdsaKey() => TokenKey.ParsePem(KubernetesTestKeys.EcdsaPrivateKey)[0];

    /// <summary>Signs claims exactly as the issuer does (header <c>{"alg","kid"}</c>).</summary>
    public static string Sign(TokenKey key, ServiceAccountTokenClaims claims) => TokenSigner.SignAsync(key, claims).AsTask().GetAwaiter().GetResult();

    /// <summary>Signs any header and payload text with the key (the header need not match the key).</summary>
    public static string SignRaw(TokenKey key, string headerJson, string payloadJson)
    {
        var input = Encode(headerJson) + "." + Encode(payloadJson);
        return input + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Header(TokenKey key) => $$"""{"alg":"{{key.Algorithm}}","kid":"{{key.KeyId}}"}""";

    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>The decoded text of part <paramref name="index"/> (0 header, 1 payload) of a compact token.</summary>
    public static string DecodePart(string token, int index) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[index]));

    public static JsonElement Payload(string token) => JsonDocument.Parse(DecodePart(token, 1)).RootElement.Clone();

    /// <summary>Claims of a token for the test authority's service account (default/builder, sa-uid-1) issued at <paramref name="now"/>.</summary>
    public static ServiceAccountTokenClaims Claims(DateTimeOffset now, long lifetime = 3600, params string[] audiences)
    {
        var iat = now.ToUnixTimeSeconds();
        return new ServiceAccountTokenClaims
        {
            Issuer = TestAuthority.Issuer,
            Subject = "system:serviceaccount:default:builder",
            Audiences = audiences.Length == 0 ? ["api"] : audiences,
            IssuedAt = iat,
            NotBefore = iat,
            Expires = iat + lifetime,
            Id = "4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11",
            Namespace = "default",
            ServiceAccount = new ObjectReferenceClaim("builder", "sa-uid-1"),
        };
    }
}
