namespace TokenAuthority.Keys.Ring;

/// <summary>A read-only view of one key of the ring, for operators: never any key material.</summary>
/// <param name="KeyId">The key id (<c>kid</c>).</param>
/// <param name="Algorithm">The key's algorithm.</param>
/// <param name="State">Its state now.</param>
/// <param name="Published">When it was first published.</param>
/// <param name="Activates">When it starts (or started) signing.</param>
/// <param name="Retires">When it stops signing: the successor's activation; null while no successor is scheduled.</param>
/// <param name="RemoveAfter">When it leaves the JWKS and stops verifying; null while <paramref name="Retires"/> is.</param>
public sealed record KeyRingKey(string KeyId, string Algorithm, KeyRingKeyState State, DateTimeOffset Published, DateTimeOffset Activates, DateTimeOffset? Retires, DateTimeOffset? RemoveAfter);
