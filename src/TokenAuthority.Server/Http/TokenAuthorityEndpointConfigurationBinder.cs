using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Server.Http;

/// <summary>Binds the <c>TokenAuthority:Endpoints</c> configuration section when the host has configuration.</summary>
internal sealed class TokenAuthorityEndpointConfigurationBinder(IServiceProvider services) : IConfigureOptions<TokenAuthorityEndpointOptions>
{
    public void Configure(TokenAuthorityEndpointOptions options)
    {
        var configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(TokenAuthorityEndpointOptions.SectionName).Bind(options);
    }
}
