using System.Buffers.Text;
using TokenAuthority.Claims;
using TokenAuthority.Keys;

namespace TokenAuthority.Discovery;

/// <summary>Renders the discovery document and JWKS (kubernetes pkg/serviceaccount/openidmetadata.go).</summary>
internal static class OpenIdMetadataBuilder
{
    /// <summary>Builds both documents for an issuer, a <c>jwks_uri</c> and the verification keys.</summary>
    public static OpenIdMetadata Build(string issuer, string jwksUri, IReadOnlyList<TokenKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("no keys provided for validating keyset", nameof(keys));
        }

        var algorithms = keys.Select(k => k.Algorithm).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var config = new GoJsonWriter().BeginObject()
            .Name("issuer").String(issuer)
            .Name("jwks_uri").String(jwksUri)
            .Name("response_types_supported").StringArray(["id_token"])
            .Name("subject_types_supported").StringArray(["public"])
            .Name("id_token_signing_alg_values_supported").StringArray(algorithms)
            .EndObject().ToString();

        var entries = keys.Select(Jwk).ToArray();
        return new OpenIdMetadata(config, "{\"keys\":[" + string.Join(",", entries) + "]}");
    }

    /// <summary>One JWK entry with fields in the order <c>use, kty, kid, crv, alg, x, y, n, e</c>.</summary>
    public static string Jwk(TokenKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var w = new GoJsonWriter().BeginObject()
            .Name("use").String("sig")
            .Name("kty").String(key.KeyType)
            .Name("kid").String(key.KeyId);
        if (key.KeyType == "EC")
        {
            var p = key.EcPublicParameters();
            w.Name("crv").String(key.CurveName!)
             .Name("alg").String(key.Algorithm)
             .Name("x").String(Base64Url.EncodeToString(p.Q.X))
             .Name("y").String(Base64Url.EncodeToString(p.Q.Y));
        }
        else
        {
            var p = key.RsaPublicParameters();
            w.Name("alg").String(key.Algorithm)
             .Name("n").String(Base64Url.EncodeToString(TrimLeadingZeros(p.Modulus!)))
             .Name("e").String(Base64Url.EncodeToString(TrimLeadingZeros(p.Exponent!)));
        }

        return w.EndObject().ToString();
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return value[i..];
    }
}
