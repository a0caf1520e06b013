namespace TokenAuthority.Verifying;

/// <summary>The three answers of the Kubernetes service-account authenticator.</summary>
public enum TokenVerificationOutcome
{
    /// <summary>Not a token of this authority (not a JWT, or another issuer): another scheme may try it.</summary>
    NotRecognized,

    /// <summary>A token of this authority that failed a check; <see cref="TokenVerificationResult.Error"/> says which.</summary>
    Rejected,

    /// <summary>A valid token.</summary>
    Authenticated,
}
