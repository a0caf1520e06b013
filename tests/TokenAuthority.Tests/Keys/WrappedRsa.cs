using System.Security.Cryptography;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// An RSA key behind a wrapper, as an HSM or a cloud key store hands one out: it signs and verifies through
/// the inner key but decides itself what it exports and what it reports.
/// </summary>
public sealed class WrappedRsa(RSA inner) : RSA
{
    public PrivateExport PrivateExport { get; init; } = PrivateExport.Refused;

    /// <summary>The size the object claims, whatever its modulus.</summary>
    public int? ReportedKeySize { get; init; }

    /// <summary>The public exponent the object claims.</summary>
    public byte[]? ReportedExponent { get; init; }

    /// <summary>Another key whose public half the object presents as its own.</summary>
    public RSA? ReportedPublicKey { get; init; }

    public int PrivateExportRequests { get; private set; }

    public bool IsDisposed { get; private set; }

    public override int KeySize
    {
        get => ReportedKeySize ?? inner.KeySize;
        set => throw new NotSupportedException();
    }

    public override KeySizes[] LegalKeySizes => inner.LegalKeySizes;

    public override RSAParameters ExportParameters(bool includePrivateParameters)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (includePrivateParameters)
        {
            PrivateExportRequests++;
            switch (PrivateExport)
            {
                case PrivateExport.Refused:
                    throw new CryptographicException("the key is not exportable");
                case PrivateExport.Allowed:
                    return inner.ExportParameters(true);
            }
        }

        var parameters = (ReportedPublicKey ?? inner).ExportParameters(false);
        return ReportedExponent is null ? parameters : parameters with { Exponent = ReportedExponent };
    }

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return inner.SignHash(hash, hashAlgorithm, padding);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return inner.VerifyHash(hash, signature, hashAlgorithm, padding);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            IsDisposed = true;
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
