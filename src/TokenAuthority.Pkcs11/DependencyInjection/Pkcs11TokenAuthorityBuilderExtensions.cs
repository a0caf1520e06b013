using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Pkcs11;
using TokenAuthority.Pkcs11.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Signs tokens with keys held in a PKCS#11 token (<see cref="Pkcs11TokenKeySetProvider"/>).</summary>
public static class Pkcs11TokenAuthorityBuilderExtensions
{
    /// <summary>
    /// Uses the keys of a PKCS#11 token, binding <see cref="Pkcs11KeyOptions"/> from <paramref name="configuration"/>
    /// (e.g. <c>builder.Configuration.GetSection("TokenAuthority:Pkcs11")</c>). The options are checked and the keys
    /// loaded at start-up.
    /// </summary>
    public static TokenAuthorityBuilder AddPkcs11Keys(this TokenAuthorityBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddPkcs11Keys(options => configuration.Bind(options));
    }

    /// <summary>
    /// Uses the keys of a PKCS#11 token, configured by <paramref name="configure"/>. The options are checked and the
    /// keys loaded at start-up.
    /// </summary>
    public static TokenAuthorityBuilder AddPkcs11Keys(this TokenAuthorityBuilder builder, Action<Pkcs11KeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<Pkcs11KeyOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pkcs11KeyOptions>, Pkcs11KeyOptionsValidator>());
        return builder.AddKeySetProvider<Pkcs11TokenKeySetProvider>();
    }
}
