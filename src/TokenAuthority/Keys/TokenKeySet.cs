namespace TokenAuthority.Keys;

/// <summary>
/// The keys of an authority: one signing key plus the keys that verify (the signing key's public half
/// first, then every further verification key in configured order, e.g. keys being rotated out).
/// </summary>
/// <remarks>
/// A set is a view: it does not own its keys and disposing them is up to whoever created them (the public
/// halves it uses are made by, and disposed with, the private keys they come from). So one key can appear in
/// several sets, and a set replaced by a newer one needs no disposal.
/// </remarks>
public sealed class TokenKeySet
{
    /// <summary>Creates a key set.</summary>
    /// <param name="signingKey">The key new tokens are signed with; must have a private part.</param>
    /// <param name="additionalVerificationKeys">Further keys whose tokens still verify.</param>
    public TokenKeySet(TokenKey signingKey, IEnumerable<TokenKey>? additionalVerificationKeys = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!signingKey.HasPrivateKey)
        {
            throw new ArgumentException("the signing key must include its private part", nameof(signingKey));
        }

        SigningKey = signingKey;
        var verification = new List<TokenKey> { signingKey.VerificationKey };
        foreach (var key in additionalVerificationKeys ?? [])
        {
            if (key is null)
            {
                throw new ArgumentException("a verification key is null", nameof(additionalVerificationKeys));
            }

            verification.Add(key.VerificationKey);
        }

        VerificationKeys = verification;
    }

    /// <summary>The key new tokens are signed with.</summary>
    public TokenKey SigningKey { get; }

    /// <summary>Public keys that verify tokens, in order; published in the JWKS.</summary>
    public IReadOnlyList<TokenKey> VerificationKeys { get; }
}
