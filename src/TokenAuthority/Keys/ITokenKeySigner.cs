namespace TokenAuthority.Keys;

/// <summary>
/// A signer whose private key never enters the process (an HSM over PKCS#11, a cloud KMS, a signing service): it
/// reports its public key and signs a digest, asynchronously. Wrap it with
/// <see cref="TokenKey.FromExternalSigner(ITokenKeySigner)"/> to sign tokens with it.
/// </summary>
/// <remarks>
/// The algorithm follows from the public key, as for every <see cref="TokenKey"/>: an RSA key signs RS256 (the
/// digest is SHA-256, the signature RSASSA-PKCS1-v1_5 over its DigestInfo), an ECDSA key on P-256, P-384 or P-521
/// signs ES256, ES384 or ES512 (the digest is SHA-256, SHA-384 or SHA-512, the signature the JWS form
/// <c>r || s</c>, each half as long as the curve's field). Every signature is checked against the public key before
/// a token carries it, so a signer that answers with a wrong or differently encoded signature makes issuing fail
/// instead of handing out a token nobody can verify. Implementations must be safe to call concurrently.
/// </remarks>
public interface ITokenKeySigner
{
    /// <summary>The SubjectPublicKeyInfo (DER) of the key the signer signs with; the key id is computed from it.</summary>
    ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>Signs a digest made with the key's algorithm's hash.</summary>
    /// <param name="digest">The hash of the JWS signing input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signature in the JWS form for the key's algorithm.</returns>
    ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken);
}
