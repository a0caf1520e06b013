namespace TokenAuthority.Keys.Ring;

/// <summary>The outcome of <see cref="IKeyRing.RevokeAsync"/>.</summary>
/// <param name="KeyId">The revoked key: gone from the JWKS, and no token it signed verifies any more.</param>
/// <param name="SigningKeyId">The key that signs from now on.</param>
/// <param name="Message">What happened and what it costs, in a sentence for the operator.</param>
public sealed record KeyRingRevocation(string KeyId, string SigningKeyId, string Message);
