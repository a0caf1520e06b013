using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Validation;
using TokenAuthority.Binding;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the stock <c>JwtBearer</c> handler for a remote service to verify bound service-account tokens
/// statelessly against the authority's OIDC discovery and JWKS.
/// </summary>
/// <remarks>
/// JwtBearer checks signature, issuer, audience and lifetime only. It cannot know that a token's pod,
/// secret, node or service account was deleted or recreated: such tokens stay valid until they expire.
/// Use <c>AddTokenReview</c> when that matters.
/// </remarks>
public static class TokenAuthorityJwtBearerExtensions
{
    /// <summary>The signature algorithms TokenAuthority keys produce (RSA keys sign RS256; EC keys ES256/ES384/ES512).</summary>
    public static IReadOnlyList<string> ValidAlgorithms { get; } =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512];

    /// <summary>The clock skew on <c>exp</c> and <c>nbf</c>, as kube-apiserver allows (60 s).</summary>
    public static TimeSpan ClockSkew { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Adds <c>JwtBearer</c> under <see cref="JwtBearerDefaults.AuthenticationScheme"/>, trusting tokens of
    /// <paramref name="authority"/> (its issuer URL) for <paramref name="audience"/>.
    /// </summary>
    public static AuthenticationBuilder AddTokenAuthorityJwtBearer(this AuthenticationBuilder builder, string authority, string audience) =>
        builder.AddTokenAuthorityJwtBearer(JwtBearerDefaults.AuthenticationScheme, authority, [audience], configure: null);

    /// <summary>
    /// Adds <c>JwtBearer</c> under <paramref name="authenticationScheme"/>, trusting tokens of <paramref name="authority"/>
    /// for any of <paramref name="audiences"/>: metadata from <c>&lt;authority&gt;/.well-known/openid-configuration</c>
    /// over https, no claim-type remapping, issuer, audience, lifetime and signature required, 60 s clock skew,
    /// only RS256/ES256/ES384/ES512, the key named by the token's <c>kid</c> and no other; an unreachable or
    /// untrusted authority refuses the token (401) instead of throwing. The principal is the one the TokenAuthority and
    /// TokenReview schemes build (<see cref="TokenAuthorityClaimTypes"/>: username, namespace, service account, groups,
    /// accepted audiences, bound object, node, credential id), read from the validated payload by the core's claims reader,
    /// so the authorization helpers answer the same; <c>HttpContext.GetTokenVerificationResult()</c> gives its
    /// <see cref="TokenAuthority.Identity.ServiceAccountIdentity"/>, or the failure.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="authority">The authority's issuer URL, exactly as it appears in <c>iss</c>.</param>
    /// <param name="audiences">The audiences this service accepts (at least one).</param>
    /// <param name="configure">Further configuration, e.g. <c>BackchannelHttpHandler</c>; applied last.</param>
    public static AuthenticationBuilder AddTokenAuthorityJwtBearer(
        this AuthenticationBuilder builder,
        string authenticationScheme,
        string authority,
        IEnumerable<string> audiences,
        Action<JwtBearerOptions>? configure) =>
        builder.AddTokenAuthorityJwtBearer(authenticationScheme, authority, audiences, [], configure);

    /// <summary>
    /// As <see cref="AddTokenAuthorityJwtBearer(AuthenticationBuilder, string, string, IEnumerable{string}, Action{JwtBearerOptions}?)"/>,
    /// for an authority that also binds tokens to kinds it registered (<c>AddBoundObjectKind</c>): name the same kinds here,
    /// so that the principal carries them as the bound object. A token bound to a kind not named here is refused, as the
    /// authority's own verifier refuses one (<c>service account token is bound to an object this authority cannot check</c>).
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="authority">The authority's issuer URL, exactly as it appears in <c>iss</c>.</param>
    /// <param name="audiences">The audiences this service accepts (at least one).</param>
    /// <param name="boundObjectKinds">The kinds the authority registered beyond Pod, Secret and Node.</param>
    /// <param name="configure">Further configuration, e.g. <c>BackchannelHttpHandler</c>; applied last.</param>
    public static AuthenticationBuilder AddTokenAuthorityJwtBearer(
        this AuthenticationBuilder builder,
        string authenticationScheme,
        string authority,
        IEnumerable<string> audiences,
        IEnumerable<BoundObjectKind> boundObjectKinds,
        Action<JwtBearerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(boundObjectKinds);
        BoundObjectKind[] kinds = [.. boundObjectKinds];
        if (kinds.Any(k => k is null))
        {
            throw new ArgumentException("A bound object kind is null.", nameof(boundObjectKinds));
        }

        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentException.ThrowIfNullOrEmpty(authority);
        ArgumentNullException.ThrowIfNull(audiences);
        var accepted = audiences.ToArray();
        if (accepted.Length == 0 || accepted.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one audience this service accepts, none of them empty: a service that accepts every audience would accept tokens meant for others.", nameof(audiences));
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ArgumentException($"The authority must be the issuer's https URL without query or fragment, got: {authority}", nameof(authority));
        }

        return builder.AddJwtBearer(authenticationScheme, options =>
        {
            options.Authority = authority;
            options.RequireHttpsMetadata = true;
            options.MapInboundClaims = false;
            options.IncludeErrorDetails = true;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = authority,
                ValidateIssuer = true,
                ValidAudiences = accepted,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,

                // IdentityModel defaults to trying every key when the kid matches none; Kubernetes never falls back
                // (a token without a kid fails too: this authority and Kubernetes always set one).
                TryAllIssuerSigningKeys = false,
                ClockSkew = ClockSkew,
                ValidAlgorithms = [.. ValidAlgorithms],
                NameClaimType = "sub",
                RoleClaimType = TokenAuthorityClaimTypes.Group,
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = TokenAuthorityJwtBearerEvents.TokenValidated(kinds),
                OnAuthenticationFailed = TokenAuthorityJwtBearerEvents.AuthenticationFailed,
                OnChallenge = TokenAuthorityJwtBearerEvents.Challenge,
            };
            configure?.Invoke(options);
        });
    }
}
