using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TokenAuthority.Samples.Authority.Health;

/// <summary>
/// Answers as kube-apiserver's <c>/livez</c> and <c>/readyz</c> do: <c>200 ok</c>; with <c>?verbose</c>, a <c>[+]name ok</c>
/// line per check and <c>readyz check passed</c>; on failure 500 with every check's line, <c>[-]name failed: reason withheld</c>
/// for the failing ones (the endpoints are anonymous: the reason is in the log, not the answer) and <c>readyz check failed</c>.
/// <c>?exclude=name</c> leaves a check out of the verdict (<c>[+]name excluded: ok</c>). Degraded counts as ok.
/// </summary>
internal static class KubernetesHealthResponseWriter
{
    /// <summary>A writer for the endpoint called <paramref name="name"/> (<c>livez</c>, <c>readyz</c>).</summary>
    public static Func<HttpContext, HealthReport, Task> For(string name) => (context, report) => WriteAsync(context, report, name);

    /// <summary>The body and status code for <paramref name="report"/>.</summary>
    public static (int StatusCode, string Body) Render(HealthReport report, string name, IQueryCollection query)
    {
        var excluded = new HashSet<string>(query["exclude"].OfType<string>().Where(e => e.Length > 0), StringComparer.Ordinal);
        var lines = new StringBuilder();
        var failed = false;
        foreach (var (check, entry) in report.Entries)
        {
            if (excluded.Remove(check))
            {
                lines.Append("[+]").Append(check).Append(" excluded: ok\n");
            }
            else if (entry.Status == HealthStatus.Unhealthy)
            {
                failed = true;
                lines.Append("[-]").Append(check).Append(" failed: reason withheld\n");
            }
            else
            {
                lines.Append("[+]").Append(check).Append(" ok\n");
            }
        }

        if (excluded.Count > 0)
        {
            lines.Append("warn: some health checks cannot be excluded: no matches for ")
                .AppendJoin(",", excluded.Order(StringComparer.Ordinal).Select(e => $"\"{e}\""))
                .Append('\n');
        }

        if (failed)
        {
            return (StatusCodes.Status500InternalServerError, $"{lines}{name} check failed\n");
        }

        return query.ContainsKey("verbose")
            ? (StatusCodes.Status200OK, $"{lines}{name} check passed\n")
            : (StatusCodes.Status200OK, "ok");
    }

    private static Task WriteAsync(HttpContext context, HealthReport report, string name)
    {
        var (statusCode, body) = Render(report, name, context.Request.Query);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
