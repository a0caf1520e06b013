namespace TokenAuthority.Verifying;

/// <summary>Why a token was refused, for code that branches on it (the text is in the result's error).</summary>
public enum TokenVerificationFailure
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>Not a token of this authority.</summary>
    NotRecognized,

    /// <summary>No key matches the <c>kid</c>, or the signature does not verify with the key's algorithm.</summary>
    InvalidSignature,

    /// <summary>The verified issuer is not accepted.</summary>
    InvalidIssuer,

    /// <summary>No audience of the token is among the accepted ones.</summary>
    InvalidAudience,

    /// <summary>Before <c>nbf</c> − 60 s.</summary>
    NotYetValid,

    /// <summary>After <c>exp</c> + 60 s.</summary>
    Expired,

    /// <summary><c>iat</c> more than 60 s in the future.</summary>
    IssuedInFuture,

    /// <summary>The service account does not exist.</summary>
    ServiceAccountNotFound,

    /// <summary>The service account was recreated (another uid).</summary>
    ServiceAccountUidMismatch,

    /// <summary>The service account was deleted more than 60 s ago.</summary>
    ServiceAccountDeleted,

    /// <summary>The bound object is gone (missing, or deleted more than 60 s ago).</summary>
    BoundObjectInvalidated,

    /// <summary>The bound object was recreated (another uid).</summary>
    BoundObjectUidMismatch,

    /// <summary>The resolver threw, timed out or answered without a uid: the answer is unknown, so the token is refused (fail closed).</summary>
    ResolverUnavailable,

    /// <summary>
    /// The token names a bound object the verifier cannot check: a member of the <c>kubernetes.io</c> claim that no
    /// built-in or registered kind explains (a kind unregistered or renamed), or more than one registered binding.
    /// Accepting it as a plain service-account token would let it outlive its object.
    /// </summary>
    UnknownBinding,
}
