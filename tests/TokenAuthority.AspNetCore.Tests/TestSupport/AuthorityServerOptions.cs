using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

public sealed class AuthorityServerOptions
{
    /// <summary>
    /// The policy TokenRequest and TokenReview require (<see cref="AuthorityServer.AdminPolicy"/>, <see cref="AuthorityServer.ReviewerPolicy"/>),
    /// or none: then <see cref="ConfigureApi"/>, <see cref="MapApi"/> or <see cref="FallbackRequiresAuthentication"/> must say how the
    /// API is authorized (or that it allows anonymous callers), or the server fails to start.
    /// </summary>
    public string? ApiPolicy { get; init; } = AuthorityServer.AdminPolicy;

    public bool FallbackRequiresAuthentication { get; init; }

    public string KubernetesVersion { get; init; } = "v1.33.0";

    public long MaxRequestBodySize { get; init; } = 1024 * 1024;

    public long MaxExpirationSeconds { get; init; }

    public IReadOnlyList<string> ApiAudiences { get; init; } = [];

    /// <summary>The authority's clock; the system clock when null.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Where the authority logs go; nowhere when null.</summary>
    public TestLogs? Logs { get; init; }

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public Action<WebApplication>? ConfigureApp { get; init; }

    /// <summary>Maps the API (default <c>app.MapTokenAuthority()</c>), e.g. inside a route group.</summary>
    public Func<WebApplication, TokenAuthority.Server.Http.TokenAuthorityEndpointConventionBuilder>? MapApi { get; init; }

    /// <summary>Runs on the builder <c>MapTokenAuthority()</c> returned, after <see cref="ApiPolicy"/> was applied.</summary>
    public Action<TokenAuthority.Server.Http.TokenAuthorityEndpointConventionBuilder>? ConfigureApi { get; init; }
}
