using System.Text.Json;
using Yarp.ReverseProxy.Forwarder;

namespace TokenAuthority.Samples.Cluster.LoadBalancer.Balancing;

/// <summary>
/// What the balancer answers itself when no replica could: a Kubernetes <c>Status</c> (as the replicas answer every
/// error), so kubectl and the Kubernetes clients print a sentence instead of an empty 502 or 503.
/// </summary>
internal static class BalancerStatus
{
    /// <summary>Writes the Status for <paramref name="error"/> unless the response has begun.</summary>
    public static async Task WriteAsync(HttpContext context, ForwarderError error)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var (code, reason, message) = error switch
        {
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                "no Authority replica is ready: every replica's /readyz fails (is PostgreSQL up?); try again shortly"),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "Timeout",
                "the Authority replica did not answer in time; the request may or may not have been carried out"),
            _ => (StatusCodes.Status502BadGateway, "InternalError",
                "the Authority replica failed before answering and no other replica could take the request; it may or may not have been carried out"),
        };

        context.Response.Clear();
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        if (code == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("kind", "Status");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteString("status", "Failure");
        writer.WriteString("message", message);
        writer.WriteString("reason", reason);
        writer.WriteNumber("code", code);
        writer.WriteEndObject();
    }
}
