using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TokenAuthority.Samples.Authority.Health;

/// <summary>
/// <c>/livez</c> and <c>/readyz</c> as kube-apiserver serves them, anonymous: <c>/livez</c> runs the checks tagged
/// <see cref="LiveTag"/> (the process answers), <c>/readyz</c> those tagged <see cref="ReadyTag"/> (the objects database,
/// the token keys, the resolver, not shutting down). <c>/healthz</c> (every check) stays as it was.
/// </summary>
internal static class KubernetesHealthEndpoints
{
    /// <summary>Checks that say whether the process should be restarted.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks that say whether the process should get traffic (<see cref="TokenAuthority.Health.TokenAuthorityHealthChecks.ReadyTag"/>).</summary>
    public const string ReadyTag = TokenAuthority.Health.TokenAuthorityHealthChecks.ReadyTag;

    public static IEndpointRouteBuilder MapKubernetesHealth(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "livez", LiveTag);
        Map(endpoints, "readyz", ReadyTag);
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string name, string tag) =>
        endpoints.MapHealthChecks("/" + name, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(tag),
            ResponseWriter = KubernetesHealthResponseWriter.For(name),
            AllowCachingResponses = false,
        }).AllowAnonymous();
}
