using Microsoft.AspNetCore.Http;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Matches request paths as kube-apiserver does, for a host's own Kubernetes-shaped endpoints (the HTTP API of
/// <c>MapTokenAuthority()</c> does it already): literal route segments compare case-sensitively and a segment holding an
/// encoded slash (<c>%2F</c>) names no resource; either is answered with kube-apiserver's 404 <c>Status</c>,
/// <c>the server could not find the requested resource</c>. Add it to a route group or handler with
/// <c>AddEndpointFilter&lt;KubernetesPathEndpointFilter&gt;()</c>.
/// </summary>
public sealed class KubernetesPathEndpointFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (KubernetesPathMatcher.Matches(context.HttpContext))
        {
            return await next(context).ConfigureAwait(false);
        }

        await KubernetesResponseWriter.WriteErrorAsync(context.HttpContext, KubernetesHttpErrors.NotFound()).ConfigureAwait(false);
        return Results.Empty;
    }
}
