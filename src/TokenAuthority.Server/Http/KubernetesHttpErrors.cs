using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>The errors the HTTP layer itself produces, worded as kube-apiserver words them.</summary>
internal static class KubernetesHttpErrors
{
    /// <summary>The media types the API decodes, in the order the 415 message lists them.</summary>
    public const string AcceptedMediaTypes = "application/json, application/vnd.kubernetes.protobuf";

    /// <summary>413 <c>RequestEntityTooLarge</c>.</summary>
    public static KubernetesError RequestEntityTooLarge(long limit) => new()
    {
        Code = 413,
        Reason = "RequestEntityTooLarge",
        Message = string.Create(CultureInfo.InvariantCulture, $"Request entity too large: limit is {limit}"),
    };

    /// <summary>404 <c>NotFound</c> for a path the API does not serve.</summary>
    public static KubernetesError NotFound() => new()
    {
        Code = 404,
        Reason = "NotFound",
        Message = "the server could not find the requested resource",
    };

    /// <summary>415 <c>UnsupportedMediaType</c>.</summary>
    public static KubernetesError UnsupportedMediaType() => new()
    {
        Code = 415,
        Reason = "UnsupportedMediaType",
        Message = "the body of the request was in an unknown format - accepted media types include: " + AcceptedMediaTypes,
    };

    /// <summary>The user name Kubernetes gives unauthenticated callers.</summary>
    public const string AnonymousUser = "system:anonymous";

    /// <summary>The user a denial names: the authenticated identity's name, or <see cref="AnonymousUser"/>.</summary>
    public static string UserName(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } identity ? identity.Name ?? string.Empty : AnonymousUser;

    /// <summary>
    /// The answer to a caller refused by the TokenRequest or TokenReview endpoint: 401 <c>Unauthorized</c> when
    /// <paramref name="challenged"/>, else the authorizer's 403 for that endpoint (naming the namespace and service account
    /// of a TokenRequest from the route).
    /// </summary>
    public static KubernetesError Denied(HttpContext context, string kind, string user, bool challenged) =>
        challenged
            ? KubernetesError.Unauthorized()
            : kind == TokenAuthorityEndpointMetadata.TokenRequestKind
                ? TokenRequestForbidden(user, context.GetRouteValue("namespace") as string ?? string.Empty, context.GetRouteValue("name") as string ?? string.Empty)
                : TokenReviewForbidden(user);

    /// <summary>403 for a denied TokenRequest, as the API server's authorizer words it.</summary>
    public static KubernetesError TokenRequestForbidden(string user, string @namespace, string name) =>
        KubernetesError.AuthorizationDenied(user, "create", "serviceaccounts", "token", null, @namespace, name);

    /// <summary>403 for a denied TokenReview, as the API server's authorizer words it.</summary>
    public static KubernetesError TokenReviewForbidden(string user) =>
        KubernetesError.AuthorizationDenied(user, "create", "tokenreviews", null, KubernetesApi.AuthenticationGroup, null, null);

    /// <summary>422 for query parameters (<c>CreateOptions</c>) with unsupported values.</summary>
    public static KubernetesError InvalidCreateOptions(string field, string renderedValue, string supported) => new()
    {
        Code = 422,
        Reason = "Invalid",
        Message = $"CreateOptions.meta.k8s.io \"\" is invalid: {field}: Unsupported value: {renderedValue}: supported values: {supported}",
        Details = new StatusDetails
        {
            Group = "meta.k8s.io",
            Kind = "CreateOptions",
            Causes = [new StatusCause { Reason = "FieldValueNotSupported", Message = $"Unsupported value: {renderedValue}: supported values: {supported}", Field = field }],
        },
    };

    /// <summary>
    /// 429 <c>TooManyRequests</c> with the seconds to wait (<c>apierrors.NewTooManyRequests</c>), in the message kube-apiserver's
    /// request limiter uses.
    /// </summary>
    public static KubernetesError TooManyRequests(int retryAfterSeconds) => new()
    {
        Code = 429,
        Reason = "TooManyRequests",
        Message = "Too many requests, please try again later.",
        Details = new StatusDetails { RetryAfterSeconds = retryAfterSeconds },
    };

    /// <summary>500 for an unexpected failure; the detail is deliberately generic.</summary>
    public static KubernetesError Unexpected() => KubernetesError.Internal("the request could not be processed");
}
