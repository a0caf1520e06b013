using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Client;

/// <summary>Chooses where the token source gets its tokens: a remote authority, or any <see cref="ITokenRequester"/>.</summary>
public sealed class TokenAuthorityClientBuilder
{
    internal TokenAuthorityClientBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Requests tokens from a remote authority over the TokenRequest API: a kubeconfig, or a server URL, CA file and bearer
    /// credential. Checked at start-up.
    /// </summary>
    /// <param name="configure">Sets <see cref="RemoteTokenAuthorityOptions"/>.</param>
    /// <returns>This builder.</returns>
    public TokenAuthorityClientBuilder UseRemoteAuthority(Action<RemoteTokenAuthorityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<RemoteTokenAuthorityOptions>().Configure(configure).ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemoteTokenAuthorityOptions>, RemoteTokenAuthorityOptionsValidator>());
        Services.TryAddSingleton<RemoteTokenAuthorityEndpoint>();
        Services.AddHttpClient(RemoteTokenRequester.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => CertificateAuthorityTrust.CreateHandler(sp.GetRequiredService<RemoteTokenAuthorityEndpoint>().CertificateAuthorityPem));
        Services.Replace(ServiceDescriptor.Singleton<ITokenRequester>(sp => new RemoteTokenRequester(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(RemoteTokenRequester.HttpClientName),
            sp.GetRequiredService<RemoteTokenAuthorityEndpoint>())));
        return this;
    }

    /// <summary>
    /// Requests tokens from <paramref name="factory"/>'s requester, for example the in-process issuer through
    /// <see cref="TokenRequester.Create"/>.
    /// </summary>
    /// <param name="factory">Creates the requester.</param>
    /// <returns>This builder.</returns>
    public TokenAuthorityClientBuilder UseRequester(Func<IServiceProvider, ITokenRequester> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }
}
