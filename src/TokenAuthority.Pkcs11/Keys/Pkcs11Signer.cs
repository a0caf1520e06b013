using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenAuthority.Keys;
using TokenAuthority.Pkcs11.Interop;

namespace TokenAuthority.Pkcs11.Keys;

/// <summary>
/// Signs digests with a private key object that stays in the token: RSA as <c>CKM_RSA_PKCS</c> over the SHA-256
/// DigestInfo (RS256), ECDSA as <c>CKM_ECDSA</c> over the digest, which answers <c>r || s</c> as JWS wants.
/// </summary>
internal sealed class Pkcs11Signer : ITokenKeySigner
{
    // DER of DigestInfo { AlgorithmIdentifier { id-sha256, NULL }, OCTET STRING (32 bytes) }, followed by the digest.
    private static readonly byte[] Sha256DigestInfoPrefix =
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    private readonly Pkcs11SessionPool _sessions;
    private readonly Pkcs11InteropFactories _factories;
    private readonly IObjectHandle _privateKey;
    private readonly bool _rsa;
    private readonly byte[] _spki;

    public Pkcs11Signer(Pkcs11SessionPool sessions, Pkcs11InteropFactories factories, IObjectHandle privateKey, bool rsa, byte[] spki)
    {
        _sessions = sessions;
        _factories = factories;
        _privateKey = privateKey;
        _rsa = rsa;
        _spki = spki;
    }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        var input = Input(digest.Span);
        return _sessions.RunAsync(session => SignIn(session, input), cancellationToken);
    }

    /// <summary>Signs in the calling thread (the start-up probe).</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest)
    {
        var input = Input(digest);
        return _sessions.Run(session => SignIn(session, input));
    }

    private byte[] Input(ReadOnlySpan<byte> digest)
    {
        if (!_rsa)
        {
            return digest.ToArray();
        }

        if (digest.Length != 32)
        {
            throw new ArgumentException("an RS256 digest is 32 bytes (SHA-256)", nameof(digest));
        }

        return [.. Sha256DigestInfoPrefix, .. digest];
    }

    private byte[] SignIn(ISession session, byte[] input)
    {
        using var mechanism = _factories.MechanismFactory.Create(_rsa ? CKM.CKM_RSA_PKCS : CKM.CKM_ECDSA);
        return session.Sign(mechanism, _privateKey, input);
    }
}
