using System.Net.Http;
using Microsoft.AspNetCore.Http.Features;
using TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TokenAuthority.Samples.Cluster.LoadBalancer.Balancing;

/// <summary>
/// A request that failed on its way to a replica before any answer came back (the replica was killed, or is not
/// listening yet or any more) is sent to another replica when that cannot do anything twice: always when the
/// connection was refused (the replica never saw it), and after a broken connection only for requests without a
/// stored effect (GET/HEAD, TokenReview, TokenRequest). A half-done create or delete of an object is answered 502, as
/// any proxy would, because the replica may have committed it.
/// </summary>
internal sealed class RetryOnAnotherReplica(ILogger<RetryOnAnotherReplica> logger)
{
    /// <summary>The proxy pipeline step; runs balancing and forwarding once per replica at most.</summary>
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        // The body is kept (at most Kestrel's 1 MiB limit) so that a second replica can be sent the same bytes.
        var body = await ReadBodyAsync(context);
        var tried = new List<DestinationState>();
        while (true)
        {
            if (body is not null)
            {
                context.Request.Body = new MemoryStream(body, writable: false);
            }

            await next();

            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (proxy.ProxiedDestination is not { } failed)
            {
                await BalancerStatus.WriteAsync(context, error.Error); // no replica was ready to try
                return;
            }

            // Only failures on the replica's side before its answer: connecting, sending the request (headers or body),
            // waiting for the response headers. A client that went away, or an answer already begun, ends here. The body
            // is read from memory here, so a "client body" failure is the copy cancelled when the replica's connection
            // broke (YARP reports that as RequestBodyClient), not the client's.
            if (error.Error is not (ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination)
                && !(error.Error is ForwarderError.RequestBodyClient && body is not null))
            {
                logger.NotRetried(context.Request.Method, context.Request.Path, failed.DestinationId, error.Error.ToString(), Reason(error), "not a failure before the replica's answer");
                await BalancerStatus.WriteAsync(context, error.Error);
                return;
            }

            tried.Add(failed);
            var reason = Reason(error);
            if (!CanRetry(context.Request, error))
            {
                logger.NotRetried(context.Request.Method, context.Request.Path, failed.DestinationId, error.Error.ToString(), reason, "the replica may have carried it out");
                await BalancerStatus.WriteAsync(context, error.Error);
                return;
            }

            var remaining = proxy.AllDestinations.Where(d => !tried.Contains(d)).ToList();
            var healthy = remaining.Where(d => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy).ToList();
            var candidates = healthy.Count > 0 ? healthy : remaining;
            if (candidates.Count == 0)
            {
                logger.NotRetried(context.Request.Method, context.Request.Path, failed.DestinationId, error.Error.ToString(), reason, "every replica was tried");
                await BalancerStatus.WriteAsync(context, error.Error);
                return;
            }

            logger.Retrying(context.Request.Method, context.Request.Path, failed.DestinationId, error.Error.ToString(), reason, string.Join(" or ", candidates.Select(c => c.DestinationId)));

            // Undo the failed attempt: its 502 was not sent; the body is read again from the start.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.AvailableDestinations = candidates;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var detection = context.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (detection is { CanHaveBody: false })
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    private static string Reason(IForwarderErrorFeature error) =>
        error.Exception is HttpRequestException { HttpRequestError: var kind } ? kind.ToString() : error.Exception?.GetType().Name ?? "unknown";

    private static bool CanRetry(HttpRequest request, IForwarderErrorFeature error)
    {
        if (error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return true; // no connection: the replica never saw the request
        }

        var path = request.Path.Value ?? string.Empty;
        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || (HttpMethods.IsPost(request.Method)
                && (path.Equals("/apis/authentication.k8s.io/v1/tokenreviews", StringComparison.Ordinal)
                    || (path.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) && path.EndsWith("/token", StringComparison.Ordinal))));
    }
}
