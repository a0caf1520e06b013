using System.Security.Cryptography;

namespace TokenAuthority.Tests.Keys;

/// <summary>An ECDSA key behind a wrapper (an HSM, a cloud key store): it signs through the inner key and decides what it exports.</summary>
public sealed class WrappedECDsa(ECDsa inner) : ECDsa
{
    public PrivateExport PrivateExport { get; init; } = PrivateExport.Refused;

    public int PrivateExportRequests { get; private set; }

    public bool IsDisposed { get; private set; }

    public override int KeySize
    {
        get => inner.KeySize;
        set => throw new NotSupportedException();
    }

    public override KeySizes[] LegalKeySizes => inner.LegalKeySizes;

    public override ECParameters ExportParameters(bool includePrivateParameters) => Export(includePrivateParameters, inner.ExportParameters);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => Export(includePrivateParameters, inner.ExportExplicitParameters);

    public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException();

    public override void GenerateKey(ECCurve curve) => throw new NotSupportedException();

    public override byte[] SignHash(byte[] hash)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return inner.SignHash(hash);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return inner.VerifyHash(hash, signature);
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

    private ECParameters Export(bool includePrivateParameters, Func<bool, ECParameters> export)
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
                    return export(true);
            }
        }

        return export(false);
    }
}
