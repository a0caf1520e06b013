using System.Security.Cryptography;
using TokenAuthority.Keys;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// Stand-ins for an HSM or KMS in the core tests (the real one, SoftHSM2 over PKCS#11, is tested in
/// TokenAuthority.Pkcs11.Tests): they keep a private key the <see cref="TokenKey"/> never sees and sign digests.
/// </summary>
internal sealed class ExternalSigners : ITokenKeySigner, IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly Func<byte[], byte[]>? _tamper;
    private readonly bool _yield;

    private ExternalSigners(AsymmetricAlgorithm key, Func<byte[], byte[]>? tamper, bool yieldFirst)
    {
        _key = key;
        _tamper = tamper;
        _yield = yieldFirst;
        SubjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
    }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public List<int> DigestLengths { get; } = [];

    public Exception? Failure { get; init; }

    public static ExternalSigners Rsa(int bits = 2048, bool yieldFirst = false) => new(RSA.Create(bits), null, yieldFirst);

    public static ExternalSigners Ec(ECCurve curve, bool yieldFirst = false, Func<byte[], byte[]>? tamper = null) => new(ECDsa.Create(curve), tamper, yieldFirst);

    /// <summary>An ECDSA signer that answers in DER (as CNG or OpenSSL do by default), not the JWS form.</summary>
    public static ExternalSigners EcDer() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, false) { DerSignatures = true };

    public static ExternalSigners Failing(Exception failure) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, false) { Failure = failure };

    private bool DerSignatures { get; init; }

    public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        if (_yield)
        {
            await Task.Yield();
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        lock (DigestLengths)
        {
            DigestLengths.Add(digest.Length);
        }

        var signature = _key switch
        {
            RSA rsa => rsa.SignHash(digest.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignHash(digest.ToArray(), DerSignatures ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new NotSupportedException(),
        };
        return _tamper is null ? signature : _tamper(signature);
    }

    public void Dispose() => _key.Dispose();
}
