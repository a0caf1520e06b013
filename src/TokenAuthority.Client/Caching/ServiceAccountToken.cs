namespace TokenAuthority.Client;

/// <summary>A token a source handed out. <see cref="ToString"/> never shows the token.</summary>
public sealed class ServiceAccountToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The JWT.</param>
    /// <param name="issuedAt">When it was issued (the expiration minus the lifetime the authority granted, or when it was received).</param>
    /// <param name="expiresAt">When it expires; <see langword="null"/> when the authority did not say (never refreshed).</param>
    /// <param name="serviceAccountUid">The service account's uid as the authority reported it.</param>
    public ServiceAccountToken(string value, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, string? serviceAccountUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        ServiceAccountUid = serviceAccountUid;
    }

    /// <summary>The JWT, for an <c>Authorization: Bearer</c> header.</summary>
    public string Value { get; }

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the token expires, if known.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The service account's uid (<c>metadata.uid</c> of the TokenRequest answer), if reported.</summary>
    public string? ServiceAccountUid { get; }

    /// <inheritdoc/>
    public override string ToString() => $"service-account token issued {IssuedAt:O}, expires {ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}";
}
