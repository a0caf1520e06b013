using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Matches request paths as kube-apiserver does, where ASP.NET Core routing is more lenient: the literal segments of
/// the route must match case-sensitively (<c>/API/V1/...</c> is not <c>/api/v1/...</c>), and an encoded slash
/// (<c>%2F</c>) is a path separator, so a segment holding one names no resource. Either way the answer is kube-apiserver's
/// 404 <c>Status</c>, <c>the server could not find the requested resource</c>.
/// </summary>
internal static class KubernetesPathMatcher
{
    /// <summary>Wraps an endpoint's handler so that a path routing matched only leniently is answered with 404.</summary>
    public static RequestDelegate Exact(RequestDelegate handler) => context =>
        Matches(context) ? handler(context) : KubernetesResponseWriter.WriteErrorAsync(context, KubernetesHttpErrors.NotFound());

    /// <summary>Whether the request path matches its endpoint's route pattern exactly (literal segments compared ordinally).</summary>
    public static bool Matches(HttpContext context)
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
