using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TokenAuthority.Keys.Ring;

/// <summary>Binds the <c>TokenAuthority:Keys</c> configuration section when the host has configuration.</summary>
internal sealed class KeyRingConfigurationBinder(IServiceProvider services) : IConfigureOptions<KeyRingOptions>
{
    public void Configure(KeyRingOptions options)
    {
        var configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(KeyRingOptions.SectionName).Bind(options);
    }
}
