using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenAuthority.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the TokenReview scheme, for services in other processes that must honour bound objects: each new
/// token is reviewed by the authority; positive answers are reused for a short time.
/// </summary>
public static class TokenReviewAuthenticationExtensions
{
    /// <summary>Adds the scheme <see cref="TokenReviewAuthenticationDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureOptions">Sets <c>Authority</c>, <c>Audiences</c>, <c>ReviewerToken</c> and more.</param>
    public static AuthenticationBuilder AddTokenReview(this AuthenticationBuilder builder, Action<TokenReviewAuthenticationOptions> configureOptions) =>
        builder.AddTokenReview(TokenReviewAuthenticationDefaults.AuthenticationScheme, configureOptions);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddTokenReview(this AuthenticationBuilder builder, string authenticationScheme, Action<TokenReviewAuthenticationOptions> configureOptions) =>
        builder.AddTokenReview(authenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/> with a display name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="displayName">The display name, if any.</param>
    /// <param name="configureOptions">Sets <c>Authority</c>, <c>Audiences</c>, <c>ReviewerToken</c> and more.</param>
    public static AuthenticationBuilder AddTokenReview(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<TokenReviewAuthenticationOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configureOptions);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<TokenAuthorityAuthenticationMetrics>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TokenReviewAuthenticationOptions>, TokenReviewPostConfigureOptions>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenReviewAuthenticationOptions>, TokenReviewAuthenticationOptionsValidator>());
        builder.Services.AddOptions<TokenReviewAuthenticationOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<TokenReviewAuthenticationOptions, TokenReviewAuthenticationHandler>(authenticationScheme, displayName, configureOptions);
    }
}
