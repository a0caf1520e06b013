using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>
/// Tokens edited and then signed again with the authority's own RSA test key, so that only the edit can explain a
/// refusal: the signature is genuine for the key the JWKS publishes.
/// </summary>
public static class ResignedTokens
{
    /// <summary>
    /// Decodes <paramref name="token"/>, lets the caller edit header and payload, and signs the result with
    /// <see cref="KubernetesTestKeys.RsaPrivateKey"/> using the header's <c>alg</c> (RS256/384/512 or PS256/384/512).
    /// </summary>
    public static string Resign(string token, Action<JsonObject>? editHeader = null, Action<JsonObject>? editPayload = null)
    {
        var parts = token.Split('.');
        var header = Decode(parts[0]);
        var payload = Decode(parts[1]);
        editHeader?.Invoke(header);
        editPayload?.Invoke(payload);
        return Sign(header, payload);
    }

    /// <summary>A compact JWS of these JSON texts, signed like <see cref="Resign"/>.</summary>
    public static string Sign(JsonObject header, JsonObject payload)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        var (hash, padding) = (string?)header["alg"] switch
        {
            "RS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "PS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
            "PS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            var alg => throw new ArgumentException($"cannot sign {alg} with an RSA key", nameof(header)),
        };
        using var rsa = RSA.Create();
        rsa.ImportFromPem(KubernetesTestKeys.RsaPrivateKey);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash, padding);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The <c>kid</c> of <paramref name="token"/>'s header.</summary>
    public static string? KeyId(string token) => (string?)Decode(token.Split('.')[0])["kid"];

    private static JsonObject Decode(string part) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();

    private static string Encode(JsonObject json) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
