namespace TokenAuthority.Keys.Ring;

/// <summary>Where a key is in its life. A removed key is no longer in the ring.</summary>
public enum KeyRingKeyState
{
    /// <summary>In the JWKS, not signing yet (the prepared successor).</summary>
    Published,

    /// <summary>The one signing key; in the JWKS.</summary>
    Active,

    /// <summary>No longer signing; still in the JWKS until every token it signed has expired.</summary>
    Retired,
}
