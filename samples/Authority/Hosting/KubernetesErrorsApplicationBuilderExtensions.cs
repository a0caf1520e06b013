using Microsoft.AspNetCore.Diagnostics;
using TokenAuthority.Errors;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Makes every error response a Kubernetes <c>Status</c>, including the ones routing and the server produce.</summary>
internal static class KubernetesErrorsApplicationBuilderExtensions
{
    public static IApplicationBuilder UseKubernetesErrors(this IApplicationBuilder app)
    {
        // Every answer is JSON meant for API clients: browsers must not sniff it into something else.
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });

        // An unexpected exception: a 500 Status with a fixed message (the exception is logged by the middleware, never sent).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => KubernetesResults.WriteAsync(context.Response, KubernetesError.Internal("an error on the server has prevented the request from succeeding")),
        });

        // Empty-bodied errors (unknown path, wrong method, body too large...) get a Status body.
        app.UseStatusCodePages(context => KubernetesResults.WriteAsync(context.HttpContext.Response, KubernetesResults.ForStatusCode(context.HttpContext.Response.StatusCode)));
        return app;
    }
}
