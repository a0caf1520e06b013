namespace TokenAuthority.Keys.Ring;

/// <summary>The outcome of <see cref="IKeyRing.RotateNowAsync"/>.</summary>
/// <param name="KeyId">The key that takes over signing.</param>
/// <param name="Activates">When it signs: now, or later when it has not been published for the JWKS max-age yet.</param>
/// <param name="Immediate">Whether it signs from now on.</param>
/// <param name="Message">What happened, in a sentence for the operator.</param>
public sealed record KeyRingRotation(string KeyId, DateTimeOffset Activates, bool Immediate, string Message);
