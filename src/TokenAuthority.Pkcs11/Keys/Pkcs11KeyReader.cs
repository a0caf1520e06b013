using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenAuthority.Pkcs11.Keys;

/// <summary>
/// Finds key objects by <c>CKA_LABEL</c> and reads their public halves (RSA modulus and exponent, EC parameters and
/// point) into a SubjectPublicKeyInfo. Nothing here reads a private attribute.
/// </summary>
internal static class Pkcs11KeyReader
{
    /// <summary>The one object of <paramref name="objectClass"/> labelled <paramref name="label"/>, or null.</summary>
    /// <exception cref="Pkcs11KeyException">Several objects carry the label, so which is meant is unclear.</exception>
    public static IObjectHandle? Find(ISession session, Pkcs11InteropFactories factories, CKO objectClass, string label, string tokenName)
    {
        var found = session.FindAllObjects(
        [
            factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, objectClass),
            factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
        ]);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new Pkcs11KeyException(
                $"{found.Count} {Describe(objectClass)} objects on token \"{tokenName}\" are labelled \"{label}\"; give each key a label of its own"),
        };
    }

    /// <summary>The key type (<c>CKA_KEY_TYPE</c>) of a key object.</summary>
    public static CKK KeyType(ISession session, IObjectHandle key) =>
        (CKK)session.GetAttributeValue(key, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();

    /// <summary>
    /// The SubjectPublicKeyInfo of an RSA or EC key object (a public key, or for RSA also the private key object,
    /// whose modulus and public exponent are public attributes).
    /// </summary>
    /// <exception cref="Pkcs11KeyException">The key is of a type TokenAuthority does not sign with, or its public attributes cannot be read.</exception>
    public static byte[] SubjectPublicKeyInfo(ISession session, IObjectHandle key, string label, string tokenName)
    {
        var type = KeyType(session, key);
        switch (type)
        {
            case CKK.CKK_RSA:
            {
                var values = session.GetAttributeValue(key, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
                if (values.Any(v => v.CannotBeRead))
                {
                    throw new Pkcs11KeyException($"the RSA key \"{label}\" on token \"{tokenName}\" does not show its modulus and public exponent");
                }

                using var rsa = RSA.Create(new RSAParameters
                {
                    Modulus = TrimLeadingZeros(values[0].GetValueAsByteArray()),
                    Exponent = TrimLeadingZeros(values[1].GetValueAsByteArray()),
                });
                return rsa.ExportSubjectPublicKeyInfo();
            }

            case CKK.CKK_EC:
            {
                var values = session.GetAttributeValue(key, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
                if (values.Any(v => v.CannotBeRead))
                {
                    throw new Pkcs11KeyException($"the EC key \"{label}\" on token \"{tokenName}\" does not show its curve and point (is there a public key object with this label?)");
                }

                return EcSubjectPublicKeyInfo(values[0].GetValueAsByteArray(), values[1].GetValueAsByteArray(), label, tokenName);
            }

            default:
                throw new Pkcs11KeyException(
                    $"the key \"{label}\" on token \"{tokenName}\" is of type {type}; TokenAuthority signs with RSA keys of 2048 bits or more and ECDSA keys on P-256, P-384 or P-521");
        }
    }

    private static byte[] EcSubjectPublicKeyInfo(byte[] ecParams, byte[] ecPoint, string label, string tokenName)
    {
        string oid;
        try
        {
            oid = new AsnReader(ecParams, AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new Pkcs11KeyException(
                $"the EC key \"{label}\" on token \"{tokenName}\" is not on a named curve; use P-256, P-384 or P-521", ex);
        }

        var point = UncompressedPoint(ecPoint);
        var half = (point.Length - 1) / 2;
        if (point.Length < 3 || point[0] != 0x04 || point.Length != 1 + (2 * half))
        {
            throw new Pkcs11KeyException($"the EC key \"{label}\" on token \"{tokenName}\" has a point that is not an uncompressed point");
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.CreateFromValue(oid),
                Q = new ECPoint { X = point[1..(1 + half)], Y = point[(1 + half)..] },
            });
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException ex)
        {
            throw new Pkcs11KeyException(
                $"the EC key \"{label}\" on token \"{tokenName}\" is on curve {oid}, which TokenAuthority does not sign with; use P-256, P-384 or P-521", ex);
        }
    }

    // CKA_EC_POINT is the DER OCTET STRING holding the point (PKCS#11 2.40); some modules give the bare point.
    private static byte[] UncompressedPoint(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var inner = reader.ReadOctetString();
            if (!reader.HasData && inner.Length % 2 == 1 && inner[0] == 0x04)
            {
                return inner;
            }
        }
        catch (AsnContentException)
        {
            // Not DER: the bare point.
        }

        return value;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static string Describe(CKO objectClass) => objectClass switch
    {
        CKO.CKO_PRIVATE_KEY => "private key",
        CKO.CKO_PUBLIC_KEY => "public key",
        _ => objectClass.ToString(),
    };
}
