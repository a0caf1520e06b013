using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>
/// Generates key pairs inside a token, as an operator would with pkcs11-tool: the private key is a token object with
/// CKA_SENSITIVE=true and CKA_EXTRACTABLE=false, so it can sign but never be read out.
/// </summary>
internal sealed class Pkcs11TestKeys(ISession session, Pkcs11InteropFactories factories)
{
    // DER-encoded named-curve OIDs (CKA_EC_PARAMS).
    public static readonly byte[] P256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    public static readonly byte[] P384 = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22];
    public static readonly byte[] Secp256k1 = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A];

    public void GenerateRsa(string label, int bits, bool sign = true) => Generate(
        CKM.CKM_RSA_PKCS_KEY_PAIR_GEN,
        label,
        [
            factories.ObjectAttributeFactory.Create(CKA.CKA_MODULUS_BITS, (ulong)bits),
            factories.ObjectAttributeFactory.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }),
        ],
        sign,
        extractable: false);

    public void GenerateEc(string label, byte[] curve, bool sign = true, bool extractable = false, string? publicLabel = null) => Generate(
        CKM.CKM_EC_KEY_PAIR_GEN,
        label,
        [factories.ObjectAttributeFactory.Create(CKA.CKA_EC_PARAMS, curve)],
        sign,
        extractable,
        publicLabel);

    private void Generate(CKM mechanism, string label, List<IObjectAttribute> publicParameters, bool sign, bool extractable, string? publicLabel = null)
    {
        var attributes = factories.ObjectAttributeFactory;
        List<IObjectAttribute> publicTemplate =
        [
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, false),
            attributes.Create(CKA.CKA_LABEL, publicLabel ?? label),
            attributes.Create(CKA.CKA_VERIFY, true),
            .. publicParameters,
        ];
        List<IObjectAttribute> privateTemplate =
        [
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, true),
            attributes.Create(CKA.CKA_LABEL, label),
            attributes.Create(CKA.CKA_SIGN, sign),
            attributes.Create(CKA.CKA_SENSITIVE, true),
            attributes.Create(CKA.CKA_EXTRACTABLE, extractable),
        ];
        using var generate = factories.MechanismFactory.Create(mechanism);
        session.GenerateKeyPair(generate, publicTemplate, privateTemplate, out _, out _);
    }
}
