using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenAuthority.Server;
using TokenAuthority.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the TokenAuthority scheme, which verifies bound service-account tokens in-process.</summary>
public static class TokenAuthorityAuthenticationExtensions
{
    /// <summary>
    /// Adds the scheme <see cref="TokenAuthorityAuthenticationDefaults.AuthenticationScheme"/>. Its audiences
    /// must be configured elsewhere (e.g. <c>services.Configure&lt;TokenAuthorityAuthenticationOptions&gt;(scheme, ...)</c>);
    /// the app must also call <c>services.AddTokenAuthority(...)</c>.
    /// </summary>
    public static AuthenticationBuilder AddTokenAuthorityBearer(this AuthenticationBuilder builder) =>
        builder.AddTokenAuthorityBearer(TokenAuthorityAuthenticationDefaults.AuthenticationScheme, _ => { });

    /// <summary>Adds the scheme <see cref="TokenAuthorityAuthenticationDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureOptions">Sets the audiences this service accepts, and more.</param>
    public static AuthenticationBuilder AddTokenAuthorityBearer(this AuthenticationBuilder builder, Action<TokenAuthorityAuthenticationOptions> configureOptions) =>
        builder.AddTokenAuthorityBearer(TokenAuthorityAuthenticationDefaults.AuthenticationScheme, configureOptions);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddTokenAuthorityBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<TokenAuthorityAuthenticationOptions> configureOptions) =>
        builder.AddTokenAuthorityBearer(authenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/> with a display name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="displayName">The display name, if any.</param>
    /// <param name="configureOptions">Sets the audiences this service accepts, and more.</param>
    public static AuthenticationBuilder AddTokenAuthorityBearer(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<TokenAuthorityAuthenticationOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configureOptions);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<TokenAuthorityAuthenticationMetrics>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenAuthorityAuthenticationOptions>, TokenAuthorityAuthenticationOptionsValidator>());
        builder.Services.AddOptions<TokenAuthorityAuthenticationOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<TokenAuthorityAuthenticationOptions, TokenAuthorityAuthenticationHandler>(authenticationScheme, displayName, configureOptions);
    }
}
