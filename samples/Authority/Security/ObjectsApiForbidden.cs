using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Authority.ObjectsApi;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>The 403 of both schemes: on the objects API, the authorizer's text naming the caller, the verb and the resource.</summary>
internal static class ObjectsApiForbidden
{
    /// <summary>
    /// Sets 403 and, on an objects-API endpoint, writes its <c>Status</c>. Elsewhere the body is left to
    /// <c>AddTokenAuthorityEndpoints()</c> (TokenRequest and TokenReview, worded for that endpoint) or the status-code pages.
    /// </summary>
    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status403Forbidden;
        if (context.GetEndpoint()?.Metadata.GetMetadata<ObjectsApiAccess>() is not { } access)
        {
            return Task.CompletedTask;
        }

        var user = context.User.Identity?.Name ?? "system:anonymous";
        return KubernetesResults.WriteAsync(response, access.Forbidden(user, context.GetRouteValue("namespace") as string, context.GetRouteValue("name") as string));
    }
}
