using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Checks, when the app starts (before the server listens), that every TokenRequest and TokenReview endpoint ended up
/// authorized: by its own authorization metadata (from <c>MapTokenAuthority()</c>, its properties or a route group), by
/// <see cref="AuthorizationOptions.FallbackPolicy"/>, or explicitly opened with <c>AllowAnonymous()</c>. Otherwise the app
/// fails to start with an <see cref="InvalidOperationException"/> that says what to add: Kubernetes never serves these
/// endpoints to unauthenticated callers, and neither should an app by omission. It inspects the final endpoints, after
/// every convention, exactly as the authorization middleware will see them. It also fails the start when another
/// <see cref="IAuthorizationMiddlewareResultHandler"/> replaced <see cref="TokenAuthorityAuthorizationResultHandler"/>, whose
/// mark <see cref="TokenAuthorityEndpointGuard"/> requires before serving an authorized request.
/// </summary>
internal sealed class TokenAuthorityEndpointStartupFilter(IOptions<AuthorizationOptions> authorization, ILogger<TokenAuthorityEndpointStartupFilter> logger)
    : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);

        // Only now has UseEndpoints() (explicit, or WebApplication's) put every endpoint data source in RouteOptions,
        // which the EndpointDataSource service reads.
        Check(app.ApplicationServices);
    };

    private void Check(IServiceProvider services)
    {
        var endpoints = services.GetService<EndpointDataSource>()?.Endpoints
            .Where(e => e.Metadata.GetMetadata<TokenAuthorityEndpointMetadata>() is not null)
            .ToList() ?? [];
        var fallback = authorization.Value.FallbackPolicy is not null;
        var unauthorized = new List<(string Kind, string Name)>();
        var authorized = false;
        foreach (var endpoint in endpoints)
        {
            var kind = endpoint.Metadata.GetMetadata<TokenAuthorityEndpointMetadata>()!.Kind;
            var name = Describe(kind, endpoint);
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                // AllowAnonymous wins over any authorization metadata in the authorization middleware.
                logger.EndpointAllowsAnonymous(name);
            }
            else if (HasAuthorizationMetadata(endpoint.Metadata))
            {
                authorized = true;
            }
            else if (fallback)
            {
                authorized = true;
                logger.EndpointUsesFallbackPolicy(name);
            }
            else
            {
                unauthorized.Add((kind, name));
            }
        }

        if (unauthorized.Count > 0)
        {
            throw new InvalidOperationException(UnauthorizedMessage(unauthorized));
        }

        // Authorized requests are served only when this handler marks them (TokenAuthorityEndpointGuard): one registered
        // later would replace it, and every authorized caller would be refused.
        if (authorized && services.GetService<IAuthorizationMiddlewareResultHandler>() is { } handler and not TokenAuthorityAuthorizationResultHandler)
        {
            throw new InvalidOperationException(
                $"MapTokenAuthority(): the IAuthorizationMiddlewareResultHandler in use is {handler.GetType().FullName}, registered after "
                + "services.AddTokenAuthorityEndpoints() and so replacing the handler it adds, without which TokenRequest and TokenReview refuse "
                + "every caller. Register your handler before services.AddTokenAuthorityEndpoints(), which wraps it.");
        }
    }

    private static bool HasAuthorizationMetadata(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<IAuthorizeData>() is not null
        || metadata.GetMetadata<AuthorizationPolicy>() is not null
        || metadata.GetMetadata<IAuthorizationRequirementData>() is not null;

    private static string Describe(string kind, Endpoint endpoint) =>
        endpoint is RouteEndpoint route ? $"{kind} (POST {route.RoutePattern.RawText})" : kind;

    private static string UnauthorizedMessage(List<(string Kind, string Name)> unauthorized)
    {
        var kinds = unauthorized.Select(u => u.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var one = unauthorized.Count == 1;
        var it = one ? "it" : "them";
        var risk = string.Join(" and ", kinds.Select(k => k == TokenAuthorityEndpointMetadata.TokenRequestKind ? "mint tokens for any service account" : "review any token"));
        var message = new StringBuilder("MapTokenAuthority(): ")
            .Append(Join(unauthorized.Select(u => u.Name).ToList()))
            .Append(one ? " has" : " have")
            .Append(CultureInfo.InvariantCulture, $" no authorization, so anyone who can reach {it} could {risk}; Kubernetes never serves {it} to unauthenticated callers. ");
        if (kinds.Count == 1)
        {
            message.Append(CultureInfo.InvariantCulture, $"Require authorization with var api = app.MapTokenAuthority(); api.{kinds[0]}.RequireAuthorization(\"<policy>\"); ")
                .Append("(or app.MapTokenAuthority().RequireAuthorization(\"<policy>\") for both endpoints); ");
        }
        else
        {
            message.Append("Require authorization for both with app.MapTokenAuthority().RequireAuthorization(\"<policy>\"), or per endpoint with ")
                .Append("var api = app.MapTokenAuthority(); api.TokenRequest.RequireAuthorization(\"<policy>\"); api.TokenReview.RequireAuthorization(\"<policy>\"); ");
        }

        message.Append("a route group's RequireAuthorization() or an AuthorizationOptions.FallbackPolicy counts too. ")
            .Append(CultureInfo.InvariantCulture, $"To serve {it} to anonymous callers on purpose, add ")
            .Append(kinds.Count == 1 ? $"api.{kinds[0]}.AllowAnonymous()" : ".AllowAnonymous()")
            .Append(" instead.");
        return message.ToString();
    }

    private static string Join(List<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
