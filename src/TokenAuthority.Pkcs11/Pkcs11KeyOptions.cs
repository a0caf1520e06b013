namespace TokenAuthority.Pkcs11;

/// <summary>
/// Where the signing keys live: a PKCS#11 module, a token in it, the user PIN, and the labels of the keys. Bind it from
/// configuration (e.g. the section <c>TokenAuthority:Pkcs11</c>); keep the PIN in a secret store or an environment
/// variable, never in a file under version control.
/// </summary>
/// <remarks>
/// The operator manages the keys, as Kubernetes' key files are managed: <see cref="SigningKeyLabel"/> names the key
/// new tokens are signed with, <see cref="VerificationKeyLabels"/> the keys whose tokens still verify (a key being
/// rotated out, the next key being rolled in). Every instance configured alike on the same token therefore signs
/// with the same key and publishes the same JWKS.
/// </remarks>
public sealed class Pkcs11KeyOptions
{
    /// <summary>The path of the PKCS#11 module (the HSM vendor's library), e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>.</summary>
    public string? ModulePath { get; set; }

    /// <summary>The label of the token holding the keys. Set this or <see cref="SlotId"/>.</summary>
    public string? TokenLabel { get; set; }

    /// <summary>The id of the slot holding the token, when it is not chosen by <see cref="TokenLabel"/>.</summary>
    public ulong? SlotId { get; set; }

    /// <summary>The token's user PIN. Never logged and never part of an error message.</summary>
    public string? Pin { get; set; }

    /// <summary>The <c>CKA_LABEL</c> of the signing key: its private key signs, its public key is published.</summary>
    public string? SigningKeyLabel { get; set; }

    /// <summary>
    /// The <c>CKA_LABEL</c>s of further keys whose tokens still verify (only their public keys are read), in the
    /// order they are published after the signing key.
    /// </summary>
    public IList<string> VerificationKeyLabels { get; } = [];

    /// <summary>
    /// The most PKCS#11 sessions used at once for signing (default 4). Sessions are not shared between threads; a
    /// request that finds them all busy waits for one without holding a thread.
    /// </summary>
    public int MaxSessions { get; set; } = 4;
}
