using TokenAuthority.Errors;

namespace TokenAuthority.Issuing;

/// <summary>Thrown by the convenience <see cref="TokenIssuerExtensions.IssueAsync"/> when a request is refused.</summary>
public sealed class TokenRequestException : Exception
{
    /// <summary>Creates the exception from the Kubernetes error.</summary>
    public TokenRequestException(KubernetesError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message) => Error = error;

    /// <summary>Creates an exception with a message only.</summary>
    public TokenRequestException()
        : this(KubernetesError.Internal("token request failed"))
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public TokenRequestException(string message)
        : this(KubernetesError.BadRequest(message))
    {
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public TokenRequestException(string message, Exception innerException)
        : base(message, innerException) => Error = KubernetesError.Internal(message);

    /// <summary>The Kubernetes error (code, reason, message).</summary>
    public KubernetesError Error { get; }
}
