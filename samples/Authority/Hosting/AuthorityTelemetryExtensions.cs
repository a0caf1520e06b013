using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TokenAuthority.Diagnostics;
using TokenAuthority.Samples.Authority.Security;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>
/// Metrics and traces of the Authority through OpenTelemetry: the library's meters (<c>TokenAuthority</c>,
/// <c>TokenAuthority.Validation</c>) and ASP.NET Core's own (requests, Kestrel, authentication, authorization) are served
/// in the Prometheus format at <see cref="MetricsPath"/>; the library's activities (and ASP.NET Core's request activities)
/// go to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names one. docs/observability.md lists the instruments.
/// </summary>
internal static class AuthorityTelemetryExtensions
{
    /// <summary>The scrape endpoint; like kube-apiserver's <c>/metrics</c> it needs a credential (the admin token).</summary>
    public const string MetricsPath = "/metrics";

    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] Meters =
    [
        TokenAuthorityMetrics.MeterName,
        TokenAuthorityMetrics.MeterName + ".Validation",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Diagnostics",
    ];

    public static IServiceCollection AddAuthorityTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        if (!string.IsNullOrEmpty(configuration[OtlpEndpointKey]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(TokenAuthorityActivitySource.Name, "Microsoft.AspNetCore")
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Maps <see cref="MetricsPath"/> for the admin token only.</summary>
    public static IEndpointConventionBuilder MapAuthorityMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(AdminTokenAuthenticationDefaults.Policy);
}
