using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenAuthority.Server.Http;
using TokenAuthority.Discovery;
using TokenAuthority.Issuing;
using TokenAuthority.Verifying;
using TokenAuthority.Validation;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Kubernetes-compatible HTTP API of a token authority.</summary>
public static class TokenAuthorityEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the authority exactly as a Kubernetes API server exposes it:
    /// <list type="bullet">
    /// <item><c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c> (TokenRequest, 201);</item>
    /// <item><c>POST /apis/authentication.k8s.io/v1/tokenreviews</c> (TokenReview, 201);</item>
    /// <item><c>GET /.well-known/openid-configuration</c> and <c>GET /openid/v1/jwks</c>;</item>
    /// <item>the discovery documents kubectl reads: <c>/version</c>, <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>,
    /// <c>/apis/authentication.k8s.io</c>, <c>/apis/authentication.k8s.io/v1</c> and an empty <c>/openapi/v2</c>;
    /// <c>/api/v1</c> also lists the host's own <see cref="TokenAuthorityEndpointOptions.CoreResources"/>.</item>
    /// </list>
    /// Requires <c>services.AddTokenAuthority(...)</c> and <c>services.AddTokenAuthorityEndpoints()</c>.
    /// <para>
    /// TokenRequest and TokenReview must be given authorization: <c>.RequireAuthorization(...)</c> on the returned builder,
    /// on its <see cref="TokenAuthorityEndpointConventionBuilder.TokenRequest"/> and
    /// <see cref="TokenAuthorityEndpointConventionBuilder.TokenReview"/> properties or on an enclosing route group, or an
    /// <c>AuthorizationOptions.FallbackPolicy</c>; or be opened on purpose with <c>.AllowAnonymous()</c>. Otherwise the app
    /// fails to start with an <see cref="InvalidOperationException"/> that says what to add, and a request that reaches
    /// them without having been authorized is refused (401 or 403 <c>Status</c>), as a Kubernetes API server refuses it.
    /// </para>
    /// </summary>
    /// <param name="endpoints">The route builder (usually the <c>WebApplication</c>).</param>
    /// <returns>
    /// A builder whose conventions (e.g. <c>.RequireAuthorization("admin")</c>) apply to the TokenRequest and TokenReview
    /// endpoints only; its <see cref="TokenAuthorityEndpointConventionBuilder.TokenRequest"/> and
    /// <see cref="TokenAuthorityEndpointConventionBuilder.TokenReview"/> properties take conventions for one endpoint each.
    /// The discovery, JWKS and kubectl discovery endpoints allow anonymous callers.
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// The authority or <c>AddTokenAuthorityEndpoints()</c> is not registered, or the options are invalid.
    /// </exception>
    public static TokenAuthorityEndpointConventionBuilder MapTokenAuthority(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var issuer = services.GetService<ITokenIssuer>()
            ?? throw new InvalidOperationException("MapTokenAuthority() needs the token authority's services: call services.AddTokenAuthority(...) when configuring services.");
        var verifier = services.GetRequiredService<ITokenVerifier>();
        var metadata = services.GetRequiredService<IOpenIdMetadataProvider>();
        var options = services.GetService<IOptionsFactory<TokenAuthorityEndpointOptions>>()?.Create(Options.DefaultName) ?? new TokenAuthorityEndpointOptions();
        var validation = new TokenAuthorityEndpointOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new InvalidOperationException(validation.FailureMessage);
        }

        // Its start-up check and request-time guard are what keep TokenRequest and TokenReview from anonymous callers.
        if (services.GetService<TokenAuthorityAuthorizationResultHandler>() is null)
        {
            throw new InvalidOperationException(
                "MapTokenAuthority() needs services.AddTokenAuthorityEndpoints() when configuring services: it checks at start-up that "
                + "TokenRequest and TokenReview require authorization, refuses requests that nothing authorized, and answers denied callers "
                + "with Kubernetes Status bodies.");
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("TokenAuthority.Server.Http") ?? NullLogger.Instance;
        var guard = new TokenAuthorityEndpointGuard(logger);
        var tokenRequest = new TokenRequestEndpoint(issuer, options, services.GetRequiredService<TokenRequestRateLimiter>(), logger);
        var tokenReview = new TokenReviewEndpoint(verifier, options, logger);
        var protectedEndpoints = new TokenAuthorityEndpointConventionBuilder(
            endpoints.MapPost(TokenRequestEndpoint.Pattern, guard.Protect(TokenAuthorityEndpointMetadata.TokenRequestKind, KubernetesPathMatcher.Exact(tokenRequest.HandleAsync)))
                .WithMetadata(new TokenAuthorityEndpointMetadata(TokenAuthorityEndpointMetadata.TokenRequestKind))
                .WithDisplayName("TokenAuthority TokenRequest"),
            endpoints.MapPost(TokenReviewEndpoint.Pattern, guard.Protect(TokenAuthorityEndpointMetadata.TokenReviewKind, KubernetesPathMatcher.Exact(tokenReview.HandleAsync)))
                .WithMetadata(new TokenAuthorityEndpointMetadata(TokenAuthorityEndpointMetadata.TokenReviewKind))
                .WithDisplayName("TokenAuthority TokenReview"));

        var openId = new OpenIdDocumentWriter(metadata);
        MapDocument(endpoints, OpenIdMetadata.ConfigurationPath, "TokenAuthority OpenID configuration", openId.WriteConfigurationAsync);
        MapDocument(endpoints, OpenIdMetadata.KeySetPath, "TokenAuthority JWKS", openId.WriteKeySetAsync);

        var documents = new KubernetesDiscoveryDocuments(KubernetesVersionInfo.TryParse(options.KubernetesVersion)!, options.CoreResources);
        MapDocument(endpoints, "/version", "TokenAuthority version", context => WriteJsonAsync(context, documents.Version));
        MapDocument(endpoints, "/api", "TokenAuthority core API versions", context =>
            WriteJsonAsync(context, KubernetesDiscoveryDocuments.CoreVersions(context.Request.Host.Value ?? string.Empty)));
        MapDocument(endpoints, "/api/v1", "TokenAuthority core v1 resources", context => WriteJsonAsync(context, documents.CoreV1));
        MapDocument(endpoints, "/apis", "TokenAuthority API groups", context => WriteJsonAsync(context, documents.Groups));
        MapDocument(endpoints, "/apis/authentication.k8s.io", "TokenAuthority authentication group", context => WriteJsonAsync(context, documents.AuthenticationGroup));
        MapDocument(endpoints, "/apis/authentication.k8s.io/v1", "TokenAuthority authentication v1 resources", context => WriteJsonAsync(context, documents.AuthenticationV1));
        MapDocument(endpoints, "/openapi/v2", "TokenAuthority OpenAPI v2", context =>
        {
            // An empty protobuf message is a valid, empty openapi_v2.Document: enough for kubectl's client-side validation.
            context.Response.ContentType = KubernetesDiscoveryDocuments.OpenApiV2ContentType;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });

        return protectedEndpoints;
    }

    private static void MapDocument(IEndpointRouteBuilder endpoints, string pattern, string displayName, RequestDelegate handler) =>
        endpoints.MapGet(pattern, KubernetesPathMatcher.Exact(handler)).AllowAnonymous().WithDisplayName(displayName);

    private static Task WriteJsonAsync(HttpContext context, byte[] json)
    {
        context.Response.ContentType = KubernetesResponseWriter.JsonContentType;
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }
}
