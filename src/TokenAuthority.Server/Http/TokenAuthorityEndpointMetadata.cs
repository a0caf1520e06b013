using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>
/// Marks the TokenRequest and TokenReview endpoints: callers denied by their authorization get the API server's
/// <c>Status</c> bodies, and the start-up check finds them to make sure they are authorized.
/// </summary>
/// <param name="Kind"><see cref="TokenRequestKind"/> or <see cref="TokenReviewKind"/>.</param>
internal sealed record TokenAuthorityEndpointMetadata(string Kind)
{
    /// <summary>The TokenRequest endpoint (<c>serviceaccounts/token</c>).</summary>
    public const string TokenRequestKind = "TokenRequest";

    /// <summary>The TokenReview endpoint.</summary>
    public const string TokenReviewKind = "TokenReview";
}
