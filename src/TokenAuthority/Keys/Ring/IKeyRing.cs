namespace TokenAuthority.Keys.Ring;

/// <summary>The operator's view of a key ring, and its on-demand rotation.</summary>
public interface IKeyRing
{
    /// <summary>The keys of the ring now, oldest activation first: ids, algorithms, states and times, never key material.</summary>
    IReadOnlyList<KeyRingKey> GetKeys();

    /// <summary>
    /// Activates the prepared successor now when it has been published for the JWKS max-age, else schedules it for the
    /// moment it has (publish-before-sign holds either way), and prepares a new successor. Shared stores see the change.
    /// </summary>
    Task<KeyRingRotation> RotateNowAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a key at once, for a key that is compromised: it leaves the ring, the JWKS and every instance's
    /// verification set, so no token it signed verifies any more. When it is the signing key, the prepared successor
    /// signs from now on without waiting the JWKS max-age (a verifier that cached the JWKS recently may refuse the new
    /// tokens until it fetches it again: the price of a compromise), and a new successor is prepared. Shared stores see
    /// the change. Returns null when the ring holds no key <paramref name="keyId"/>.
    /// </summary>
    Task<KeyRingRevocation?> RevokeAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-reads the ring's store now and makes any change that is due, instead of at the next
    /// <see cref="KeyRingOptions.RefreshInterval"/>: a shared store that learns of another instance's change (e.g. a
    /// PostgreSQL notification) calls it. A store failure is logged and reported by the health check, never thrown; the
    /// last good ring stays in force.
    /// </summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);
}
