using System.Globalization;
using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>
/// A TokenRequest failed: the authority answered with a Kubernetes <see cref="Model.Status"/> (its message is in
/// <see cref="Exception.Message"/>), or it could not be reached (the cause is the inner exception).
/// </summary>
public sealed class TokenRequestException : Exception
{
    /// <summary>Creates the exception for the authority's answer <paramref name="status"/>.</summary>
    /// <param name="namespaceName">The service account's namespace.</param>
    /// <param name="name">The service account's name.</param>
    /// <param name="status">The authority's Status.</param>
    public TokenRequestException(string namespaceName, string name, Status status)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"The token authority refused the TokenRequest for service account {namespaceName}/{name}: {status?.Message ?? "(no message)"} ({status?.Code} {status?.Reason})."))
    {
        ArgumentNullException.ThrowIfNull(status);
        Namespace = namespaceName;
        Name = name;
        Status = status;
    }

    /// <summary>Creates the exception for a request that did not get an answer.</summary>
    /// <param name="namespaceName">The service account's namespace.</param>
    /// <param name="name">The service account's name.</param>
    /// <param name="message">What went wrong, as a sentence.</param>
    /// <param name="innerException">The cause.</param>
    public TokenRequestException(string namespaceName, string name, string message, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"The TokenRequest for service account {namespaceName}/{name} failed: {message}"), innerException)
    {
        Namespace = namespaceName;
        Name = name;
    }

    /// <summary>The service account's namespace.</summary>
    public string Namespace { get; } = string.Empty;

    /// <summary>The service account's name.</summary>
    public string Name { get; } = string.Empty;

    /// <summary>The authority's answer, when there was one.</summary>
    public Status? Status { get; }
}
