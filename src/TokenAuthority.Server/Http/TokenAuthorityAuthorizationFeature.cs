using Microsoft.AspNetCore.Http;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Set by <see cref="TokenAuthorityAuthorizationResultHandler"/> when the authorization middleware evaluated a policy
/// (the endpoint's own or the fallback policy) for a TokenRequest or TokenReview endpoint and it succeeded: the evidence
/// <see cref="TokenAuthorityEndpointGuard"/> asks for before serving a caller that is not explicitly allowed anonymously.
/// </summary>
/// <param name="Endpoint">The endpoint the request was authorized for.</param>
internal sealed record TokenAuthorityAuthorizationFeature(Endpoint Endpoint);
