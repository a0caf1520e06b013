using System.Diagnostics.CodeAnalysis;
using TokenAuthority.Errors;
using TokenAuthority.Model;

namespace TokenAuthority.Issuing;

/// <summary>The outcome of a TokenRequest: the response object, or a Kubernetes error. Never both.</summary>
public sealed record TokenRequestResult
{
    /// <summary>The response (request after defaulting and capping, with the status filled in).</summary>
    public TokenRequest? Response { get; init; }

    /// <summary>Why the request was refused.</summary>
    public KubernetesError? Error { get; init; }

    /// <summary>
    /// Warnings for the caller, sent by the HTTP layer as <c>Warning: 299 - "..."</c> headers
    /// (e.g. <c>requested expiration of 7200 seconds shortened to 3600 seconds</c>).
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The credential id (<c>JTI=&lt;jti&gt;</c>) of the issued token, for audit logs.</summary>
    public string? CredentialId { get; init; }

    /// <summary>Whether a token was issued.</summary>
    [MemberNotNullWhen(true, nameof(Response))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Response is not null;

    internal static TokenRequestResult Fail(KubernetesError error) => new() { Error = error };
}
