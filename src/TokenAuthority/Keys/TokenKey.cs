using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using TokenAuthority.Claims;

namespace TokenAuthority.Keys;

/// <summary>
/// An asymmetric key that signs or verifies tokens. The key fixes the algorithm: RSA → RS256,
/// P-256 → ES256, P-384 → ES384, P-521 → ES512. Its id is the Kubernetes key id:
/// base64url(SHA-256(SubjectPublicKeyInfo DER)).
/// </summary>
/// <remarks>
/// Every key passes the same checks when it is created, whoever creates it (configuration, a custom
/// <see cref="ITokenKeySetProvider"/>, a key ring): an RSA modulus of at least <see cref="MinimumRsaKeySize"/>
/// bits with an odd public exponent of at least 3, or an ECDSA key on P-256, P-384 or P-521. Anything else is
/// refused, so no token is ever signed or verified with such a key.
/// </remarks>
public sealed class TokenKey : IDisposable
{
    /// <summary>The smallest RSA modulus accepted, in bits (NIST SP 800-131A).</summary>
    public const int MinimumRsaKeySize = 2048;

    // Signed once to learn whether a key object can sign. Exporting its private parameters instead would leave
    // a copy of them in memory, and fails for keys that cannot be exported (an HSM, a platform key store).
    private static readonly byte[] SigningProbe = "TokenAuthority signing-key probe"u8.ToArray();

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly ITokenKeySigner? _external;
    private TokenKey? _publicHalf;
    private byte[]? _encodedHeader;
    private int _disposed;

    private TokenKey(RSA? rsa, ECDsa? ecdsa, bool? hasPrivateKey, ITokenKeySigner? external = null)
    {
        _rsa = rsa;
        _ecdsa = ecdsa;
        _external = external;
        if (rsa is not null)
        {
            KeySize = CheckRsa(rsa.ExportParameters(false));
            Algorithm = "RS256";
        }
        else
        {
            Algorithm = CurveAlgorithm(ecdsa!);
            KeySize = Algorithm switch { "ES256" => 256, "ES384" => 384, _ => 521 };
        }

        var spki = rsa is not null ? rsa.ExportSubjectPublicKeyInfo() : ecdsa!.ExportSubjectPublicKeyInfo();
        KeyId = Base64Url.EncodeToString(SHA256.HashData(spki));
        HasPrivateKey = hasPrivateKey ?? CanSign(spki);
    }

    /// <summary>The Kubernetes key id (<c>kid</c>).</summary>
    public string KeyId { get; }

    /// <summary>
    /// The base64url (ASCII) of this key's JWS header, <c>{"alg":"…","kid":"…"}</c>: it depends only on the key, so
    /// it is written once, not on every token.
    /// </summary>
    internal byte[] EncodedHeader => _encodedHeader ??= Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        new GoJsonWriter().BeginObject().Name("alg").String(Algorithm).Name("kid").String(KeyId).EndObject().ToString())));

    /// <summary>The one JWS algorithm this key signs and verifies with.</summary>
    public string Algorithm { get; }

    /// <summary>
    /// Whether the key can sign: the PEM held a private key, the wrapped object signed a probe that verifies
    /// with its own public key, or the key is held by an external signer. A public key is never a signing key.
    /// </summary>
    public bool HasPrivateKey { get; }

    /// <summary>
    /// Whether the private key is held outside the process by an <see cref="ITokenKeySigner"/>; such a key signs
    /// asynchronously and its private part can never be exported.
    /// </summary>
    public bool IsExternal => _external is not null;

    /// <summary><c>RSA</c> or <c>EC</c>.</summary>
    public string KeyType => _rsa is not null ? "RSA" : "EC";

    /// <summary>The key size in bits: the length of the RSA modulus, or the curve size.</summary>
    public int KeySize { get; }

    /// <summary>
    /// Wraps an RSA key (public or private). On success the instance is owned by the returned key, which disposes
    /// it. Whether it can sign is found by signing a probe, never by exporting its private part, so a
    /// non-exportable key (an HSM, a platform key store) works as a signing key.
    /// </summary>
    /// <exception cref="NotSupportedException">The modulus is shorter than <see cref="MinimumRsaKeySize"/> bits, or the public exponent is even or below 3.</exception>
    /// <exception cref="CryptographicException">The key signs, but its signature does not verify with its public key.</exception>
    public static TokenKey FromRsa(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return new TokenKey(rsa, null, null);
    }

    /// <summary>
    /// Wraps an ECDSA key on P-256, P-384 or P-521. On success the instance is owned by the returned key, which
    /// disposes it. Whether it can sign is found by signing a probe, never by exporting its private part.
    /// </summary>
    /// <exception cref="NotSupportedException">The key is on another curve.</exception>
    /// <exception cref="CryptographicException">The key signs, but its signature does not verify with its public key.</exception>
    public static TokenKey FromECDsa(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        return new TokenKey(null, ecdsa, null);
    }

    /// <summary>
    /// A signing key whose private part stays with <paramref name="signer"/> (an HSM, a KMS): the public half, key
    /// id and algorithm come from the signer's SubjectPublicKeyInfo and pass the same checks as any other key;
    /// tokens are signed by sending the signer a digest. The returned key does not own the signer: whoever created
    /// the signer disposes it, after the key.
    /// </summary>
    /// <exception cref="FormatException">The SubjectPublicKeyInfo is neither an RSA nor an ECDSA public key.</exception>
    /// <exception cref="NotSupportedException">The key is refused: an RSA modulus below <see cref="MinimumRsaKeySize"/> bits, a bad exponent, another curve.</exception>
    public static TokenKey FromExternalSigner(ITokenKeySigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var spki = signer.SubjectPublicKeyInfo.ToArray();
        return TryRsa(r => r.ImportSubjectPublicKeyInfo(spki, out _), hasPrivate: true, signer)
            ?? TryEc(e => e.ImportSubjectPublicKeyInfo(spki, out _), hasPrivate: true, signer)
            ?? throw new FormatException("the external signer's public key is neither an RSA nor an ECDSA SubjectPublicKeyInfo");
    }

    /// <summary>Generates a new RSA signing key (for development and tests).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is below <see cref="MinimumRsaKeySize"/>.</exception>
    public static TokenKey GenerateRsa(int bits = 2048)
    {
        if (bits < MinimumRsaKeySize)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, RsaTooShort(bits));
        }

        return Owned(RSA.Create(bits), rsa => new TokenKey(rsa, null, true));
    }

    /// <summary>Generates a new ECDSA signing key on P-256 (for development and tests).</summary>
    public static TokenKey GenerateECDsa() => Owned(ECDsa.Create(ECCurve.NamedCurves.nistP256), ec => new TokenKey(null, ec, true));

    /// <summary>
    /// Reads every key in a PEM text: <c>RSA PRIVATE KEY</c> (PKCS#1), <c>EC PRIVATE KEY</c>,
    /// <c>PRIVATE KEY</c> (PKCS#8), <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) and <c>RSA PUBLIC KEY</c>.
    /// The caller owns the returned keys.
    /// </summary>
    /// <exception cref="FormatException">The text holds no key, a block that is not a supported key, or a key the checks refuse.</exception>
    public static IReadOnlyList<TokenKey> ParsePem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var keys = new List<TokenKey>();
        try
        {
            var rest = pem.AsSpan();
            while (PemEncoding.TryFind(rest, out var fields))
            {
                var label = rest[fields.Label].ToString();
                var der = new byte[fields.DecodedDataLength];
                try
                {
                    // TryFind has checked the base64, so it decodes to exactly DecodedDataLength bytes.
                    _ = Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out _);
                    keys.Add(FromDer(label, der));
                }
                finally
                {
                    // A private key's DER is the key itself: leave no copy of it behind.
                    CryptographicOperations.ZeroMemory(der);
                }

                rest = rest[fields.Location.End..];
            }
        }
        catch
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }

            throw;
        }

        return keys.Count == 0 ? throw new FormatException("no PEM-encoded key was found") : keys;
    }

    /// <summary>The public half of this key as a separate instance, owned by the caller.</summary>
    public TokenKey PublicKey()
    {
        ThrowIfDisposed();
        return PublicOnly(_rsa?.ExportSubjectPublicKeyInfo() ?? _ecdsa!.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The SubjectPublicKeyInfo DER of the public key.</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        ThrowIfDisposed();
        return _rsa?.ExportSubjectPublicKeyInfo() ?? _ecdsa!.ExportSubjectPublicKeyInfo();
    }

    /// <summary>
    /// The private key as PKCS#8 PEM; throws when there is none, or (a <see cref="CryptographicException"/>) when
    /// the key cannot be exported. Handle the result as a secret.
    /// </summary>
    public string ExportPrivateKeyPem()
    {
        ThrowIfDisposed();
        if (_external is not null)
        {
            throw new CryptographicException("the private key is held by an external signer and never leaves it");
        }

        return HasPrivateKey
            ? (_rsa is not null ? _rsa.ExportPkcs8PrivateKeyPem() : _ecdsa!.ExportPkcs8PrivateKeyPem())
            : throw new InvalidOperationException("the key has no private part");
    }

    /// <summary>The public key as SubjectPublicKeyInfo PEM.</summary>
    public string ExportPublicKeyPem()
    {
        ThrowIfDisposed();
        return _rsa?.ExportSubjectPublicKeyInfoPem() ?? _ecdsa!.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Names the key by type, algorithm and id; never shows key material.</summary>
    public override string ToString() => $"{KeyType} {Algorithm} key {KeyId}";

    /// <summary>
    /// Disposes the wrapped RSA or ECDSA object (not an external signer, which its creator disposes). The key cannot
    /// be used afterwards.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _publicHalf, null)?.Dispose();
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    /// <summary>
    /// The key that verifies for this one: itself when public, else its public half, made once and disposed with
    /// this key. Verification never needs the private part, so it stays with the signer.
    /// </summary>
    internal TokenKey VerificationKey
    {
        get
        {
            if (!HasPrivateKey)
            {
                return this;
            }

            var half = Volatile.Read(ref _publicHalf);
            if (half is not null)
            {
                return half;
            }

            var created = PublicKey();
            half = Interlocked.CompareExchange(ref _publicHalf, created, null) ?? created;
            if (!ReferenceEquals(half, created))
            {
                created.Dispose();
            }

            return half;
        }
    }

    internal RSAParameters RsaPublicParameters()
    {
        ThrowIfDisposed();
        return _rsa!.ExportParameters(false);
    }

    internal ECParameters EcPublicParameters()
    {
        ThrowIfDisposed();
        return _ecdsa!.ExportParameters(false);
    }

    internal string? CurveName => _ecdsa is null ? null : Algorithm switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        _ => "P-521",
    };

    /// <summary>Signs in the calling thread; for keys held in the process (an external key signs only asynchronously).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> data)
    {
        ThrowIfDisposed();
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("the key cannot sign: it has no private part");
        }

        return _external is null
            ? SignCore(data)
            : throw new InvalidOperationException("the key is held by an external signer: sign with SignAsync");
    }

    /// <summary>
    /// Signs <paramref name="data"/> (the JWS signing input). A key held in the process signs at once and the result
    /// is already complete, with no allocation beyond the signature; an external key sends the signer the digest and
    /// checks its answer against the public key before returning it.
    /// </summary>
    internal ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("the key cannot sign: it has no private part");
        }

        return _external is null ? new ValueTask<byte[]>(SignCore(data.Span)) : SignExternalAsync(data.Span, cancellationToken);
    }

    private ValueTask<byte[]> SignExternalAsync(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        var digest = CryptographicOperations.HashData(HashFor(Algorithm), data);
        return CheckedAsync(_external!.SignDigestAsync(digest, cancellationToken), digest);
    }

    private async ValueTask<byte[]> CheckedAsync(ValueTask<byte[]> pending, byte[] digest)
    {
        var signature = await pending.ConfigureAwait(false);
        ThrowIfDisposed();
        var verifies = signature is not null && (_rsa is not null
            ? _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ecdsa!.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        return verifies
            ? signature!
            : throw new CryptographicException($"the external signer of {this} returned a signature that does not verify with its public key (an ECDSA signer must answer r || s, not DER)");
    }

    /// <summary>Verifies a signature made with this key's one algorithm; any other algorithm fails.</summary>
    internal bool Verify(string algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ThrowIfDisposed();
        return string.Equals(algorithm, Algorithm, StringComparison.Ordinal) && VerifyCore(data, signature);
    }

    private byte[] SignCore(ReadOnlySpan<byte> data) => _rsa is not null
        ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : _ecdsa!.SignData(data, HashFor(Algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => _rsa is not null
        ? _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : _ecdsa!.VerifyData(data, signature, HashFor(Algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    // Signs the probe exactly as a token is signed. A public key makes the platform (or the HSM wrapper) refuse;
    // any other failure is a real fault and propagates instead of passing for "public only". The signature must
    // verify with the published public key (the kid's), not merely with the object, which may check it the same
    // wrong way it made it.
    private bool CanSign(byte[] spki)
    {
        byte[] signature;
        try
        {
            signature = SignCore(SigningProbe);
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException)
        {
            return false;
        }

        using var published = PublicOnly(spki);
        return published.VerifyCore(SigningProbe, signature)
            ? true
            : throw new CryptographicException("the key signs, but its signatures do not verify with its public key: the private and public halves do not match");
    }

    private TokenKey PublicOnly(byte[] spki) => _rsa is not null
        ? Owned(RSA.Create(), rsa =>
        {
            rsa.ImportSubjectPublicKeyInfo(spki, out _);
            return new TokenKey(rsa, null, false);
        })
        : Owned(ECDsa.Create(), ec =>
        {
            ec.ImportSubjectPublicKeyInfo(spki, out _);
            return new TokenKey(null, ec, false);
        });

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static HashAlgorithmName HashFor(string algorithm) => algorithm switch
    {
        "RS256" or "ES256" => HashAlgorithmName.SHA256,
        "ES384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    // Measured on the public modulus, not the object's KeySize, which a wrapper class could misreport.
    // An even or tiny exponent is no RSA key at all (e = 1 makes every signature forgeable).
    private static int CheckRsa(RSAParameters parameters)
    {
        var bits = (int)new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits < MinimumRsaKeySize)
        {
            throw new NotSupportedException(RsaTooShort(bits));
        }

        var exponent = new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true);
        return exponent < 3 || exponent.IsEven
            ? throw new NotSupportedException("the RSA public exponent must be odd and at least 3")
            : bits;
    }

    private static string RsaTooShort(int bits) =>
        $"the RSA key has {bits} bits; use at least {MinimumRsaKeySize} bits (or an ECDSA P-256 key)";

    // By the curve's identity, not its size: brainpoolP256r1 is 256 bits too but is not P-256.
    private static string CurveAlgorithm(ECDsa ecdsa) => ecdsa.ExportParameters(false).Curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => "ES256",
        "1.3.132.0.34" => "ES384",
        "1.3.132.0.35" => "ES512",
        _ => throw new NotSupportedException("unknown private key curve, must be 256, 384, or 521"),
    };

    // For objects the library creates: disposed when they do not become a key.
    private static TokenKey Owned<T>(T algorithm, Func<T, TokenKey> wrap)
        where T : AsymmetricAlgorithm
    {
        try
        {
            return wrap(algorithm);
        }
        catch
        {
            algorithm.Dispose();
            throw;
        }
    }

    private static TokenKey FromDer(string label, byte[] der)
    {
        try
        {
            return label switch
            {
                "RSA PRIVATE KEY" => Owned(RSA.Create(), r => { r.ImportRSAPrivateKey(der, out _); return new TokenKey(r, null, true); }),
                "RSA PUBLIC KEY" => Owned(RSA.Create(), r => { r.ImportRSAPublicKey(der, out _); return new TokenKey(r, null, false); }),
                "EC PRIVATE KEY" => Owned(ECDsa.Create(), e => { e.ImportECPrivateKey(der, out _); return new TokenKey(null, e, true); }),
                "PRIVATE KEY" => TryRsa(r => r.ImportPkcs8PrivateKey(der, out _), true)
                    ?? TryEc(e => e.ImportPkcs8PrivateKey(der, out _), true)
                    ?? throw new FormatException("the PKCS#8 private key is neither RSA nor ECDSA"),
                "PUBLIC KEY" => TryRsa(r => r.ImportSubjectPublicKeyInfo(der, out _), false)
                    ?? TryEc(e => e.ImportSubjectPublicKeyInfo(der, out _), false)
                    ?? throw new FormatException("the public key is neither RSA nor ECDSA"),
                _ => throw new FormatException($"PEM block \"{label}\" is not a supported key (want RSA PRIVATE KEY, EC PRIVATE KEY, PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY)"),
            };
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"PEM block \"{label}\" could not be read as a key: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            // A key the checks refuse (a short RSA modulus, an unknown curve): the reason is the message.
            throw new FormatException(ex.Message, ex);
        }
    }

    // Null when the DER is not this type of key; a key of this type that the checks refuse still throws.
    private static TokenKey? TryRsa(Action<RSA> import, bool hasPrivate, ITokenKeySigner? external = null) => TryImport(RSA.Create(), import) is { } rsa
        ? Owned(rsa, r => new TokenKey(r, null, hasPrivate, external))
        : null;

    private static TokenKey? TryEc(Action<ECDsa> import, bool hasPrivate, ITokenKeySigner? external = null) => TryImport(ECDsa.Create(), import) is { } ec
        ? Owned(ec, e => new TokenKey(null, e, hasPrivate, external))
        : null;

    private static T? TryImport<T>(T algorithm, Action<T> import)
        where T : AsymmetricAlgorithm
    {
        try
        {
            import(algorithm);
            return algorithm;
        }
        catch (CryptographicException)
        {
            algorithm.Dispose();
            return null;
        }
    }
}
