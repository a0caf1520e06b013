using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the token authority's health checks: <c>services.AddHealthChecks().AddTokenAuthorityChecks()</c>.</summary>
public static class TokenAuthorityHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="TokenAuthorityHealthChecks.KeysName"/> (the keys load and the signing key signs) and
    /// <see cref="TokenAuthorityHealthChecks.ResolverName"/> (the bound-object resolver answers within the resolver timeout),
    /// both tagged <see cref="TokenAuthorityHealthChecks.Tag"/> and <paramref name="tags"/> (by default
    /// <see cref="TokenAuthorityHealthChecks.ReadyTag"/>). Requires <c>services.AddTokenAuthority(...)</c>. A failing check is
    /// <see cref="HealthStatus.Unhealthy"/>; its description names the cause, never a token or key material. Safe to call
    /// more than once.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="tags">Tags added to both checks besides <see cref="TokenAuthorityHealthChecks.Tag"/>; <see langword="null"/> for <see cref="TokenAuthorityHealthChecks.ReadyTag"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddTokenAuthorityChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var all = new List<string> { TokenAuthorityHealthChecks.Tag };
        all.AddRange(tags ?? [TokenAuthorityHealthChecks.ReadyTag]);
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (o.Registrations.Any(r => r.Name == TokenAuthorityHealthChecks.KeysName))
            {
                return;
            }

            o.Registrations.Add(new HealthCheckRegistration(TokenAuthorityHealthChecks.KeysName,
                sp => ActivatorUtilities.CreateInstance<TokenKeySetHealthCheck>(sp), HealthStatus.Unhealthy, all));
            o.Registrations.Add(new HealthCheckRegistration(TokenAuthorityHealthChecks.ResolverName,
                sp => ActivatorUtilities.CreateInstance<BoundObjectResolverHealthCheck>(sp), HealthStatus.Unhealthy, all));
        });
        return builder;
    }
}
