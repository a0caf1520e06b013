using TokenAuthority.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Attaches service-account tokens to an HttpClient's requests.</summary>
public static class ServiceAccountTokenHttpClientBuilderExtensions
{
    /// <summary>
    /// Sends a service-account token for <paramref name="audience"/> with each request of this client, from the token source
    /// (<c>AddTokenAuthorityClient</c>) or, when <see cref="ServiceAccountTokenHandlerOptions.TokenFile"/> is set, from a
    /// projected token file. A 401 with <c>error="invalid_token"</c> gets a new token and one retry.
    /// </summary>
    /// <param name="builder">The HttpClient.</param>
    /// <param name="audience">The callee's audience.</param>
    /// <param name="configure">Sets lifetime, bound object, account or token file.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddServiceAccountToken(this IHttpClientBuilder builder, string audience, Action<ServiceAccountTokenHandlerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        builder.Services.AddOptions<ServiceAccountTokenHandlerOptions>(builder.Name).Configure(o =>
        {
            o.Audiences.Add(audience);
            configure?.Invoke(o);
        });
        // One provider per client, a singleton: IHttpClientFactory rebuilds handlers every few minutes, the provider stays.
        var name = builder.Name;
        builder.Services.AddKeyedSingleton<IBearerTokenProvider>(ProviderKey(name), (sp, _) => CreateProvider(sp, name));
        return builder.AddHttpMessageHandler(sp => new ServiceAccountTokenHandler(sp.GetRequiredKeyedService<IBearerTokenProvider>(ProviderKey(name))));
    }

    private static string ProviderKey(string clientName) => "TokenAuthority.Client.ServiceAccountToken:" + clientName;

    private static IBearerTokenProvider CreateProvider(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<ServiceAccountTokenHandlerOptions>>().Get(name);
        IBearerTokenProvider created;
        if (options.TokenFile is { } file)
        {
            created = new ProjectedTokenFile(file, services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetService<ILogger<ProjectedTokenFile>>());
        }
        else
        {
            var source = services.GetService<IServiceAccountTokenSource>()
                ?? throw new InvalidOperationException($"The HttpClient '{name}' sends service-account tokens: call services.AddTokenAuthorityClient(...) with UseRemoteAuthority or UseRequester, or set TokenFile.");
            var defaults = services.GetRequiredService<IOptions<ServiceAccountTokenSourceOptions>>().Value;
            created = new SourceBearerTokenProvider(source, new ServiceAccountTokenRequest
            {
                Namespace = options.Namespace ?? defaults.Namespace
                    ?? throw new InvalidOperationException($"The HttpClient '{name}' needs the caller's namespace: set Namespace in AddTokenAuthorityClient or AddServiceAccountToken."),
                Name = options.ServiceAccountName ?? defaults.ServiceAccountName
                    ?? throw new InvalidOperationException($"The HttpClient '{name}' needs the caller's service account: set ServiceAccountName in AddTokenAuthorityClient or AddServiceAccountToken."),
                Audiences = [.. options.Audiences],
                ExpirationSeconds = options.ExpirationSeconds,
                BoundObjectRef = options.BoundObjectRef,
            });
        }
        return created;
    }
}
