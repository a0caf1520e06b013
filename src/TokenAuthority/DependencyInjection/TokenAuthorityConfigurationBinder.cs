using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TokenAuthority.DependencyInjection;

/// <summary>Binds the <c>TokenAuthority</c> configuration section when the host has configuration.</summary>
internal sealed class TokenAuthorityConfigurationBinder(IServiceProvider services) : IConfigureOptions<TokenAuthorityOptions>
{
    public void Configure(TokenAuthorityOptions options)
    {
        var configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(TokenAuthorityOptions.SectionName).Bind(options);
    }
}
