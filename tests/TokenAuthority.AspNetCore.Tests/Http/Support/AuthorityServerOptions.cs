using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TokenAuthority.AspNetCore.Tests.Http.Support;

public sealed class AuthorityServerOptions
{
    public bool RequireAdmin { get; init; } = true;

    public bool FallbackRequiresAuthentication { get; init; }

    public string KubernetesVersion { get; init; } = "v1.33.0";

    public long MaxRequestBodySize { get; init; } = 1024 * 1024;

    public long MaxExpirationSeconds { get; init; }

    public IReadOnlyList<string> ApiAudiences { get; init; } = [];

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public Action<WebApplication>? ConfigureApp { get; init; }
}
