using Microsoft.AspNetCore.Routing.Patterns;
using TokenAuthority.Samples.Authority.Hosting;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// Matches paths as kube-apiserver does, where ASP.NET Core routing is case-insensitive: the route's literal segments must
/// match case-sensitively (<c>/API/V1/nodes</c> is not <c>/api/v1/nodes</c>), and an encoded slash (<c>%2F</c>) separates
/// segments, so a segment holding one names no resource. Either way: the 404 <c>Status</c>
/// <c>the server could not find the requested resource</c>. (MapTokenAuthority() does the same for the library's endpoints.)
/// </summary>
internal sealed class ExactPathEndpointFilter : IEndpointFilter
{
    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Matches(context.HttpContext)
            ? next(context)
            : ValueTask.FromResult<object?>(KubernetesResults.Status(KubernetesResults.ForStatusCode(StatusCodes.Status404NotFound)));

    private static bool Matches(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.Contains("%2F", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return true;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pattern = endpoint.RoutePattern.PathSegments;
        for (var i = 0; i < pattern.Count && i < segments.Length; i++)
        {
            if (pattern[i].Parts is [RoutePatternLiteralPart literal] && !string.Equals(literal.Content, segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
