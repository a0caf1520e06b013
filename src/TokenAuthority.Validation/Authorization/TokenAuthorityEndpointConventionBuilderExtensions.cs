using Microsoft.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions that require a bound service-account token with given properties.</summary>
public static class TokenAuthorityEndpointConventionBuilderExtensions
{
    /// <summary>Requires the caller to be the service account <paramref name="name"/> in <paramref name="namespace"/>.</summary>
    public static TBuilder RequireServiceAccount<TBuilder>(this TBuilder builder, string @namespace, string name)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = new AuthorizationPolicyBuilder().RequireServiceAccount(@namespace, name).Build();
        return builder.RequireAuthorization(policy);
    }

    /// <summary>Requires the caller to be a service account of <paramref name="namespace"/>.</summary>
    public static TBuilder RequireNamespace<TBuilder>(this TBuilder builder, string @namespace)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = new AuthorizationPolicyBuilder().RequireNamespace(@namespace).Build();
        return builder.RequireAuthorization(policy);
    }

    /// <summary>Requires the caller's token to be bound to an object of <paramref name="kind"/>.</summary>
    public static TBuilder RequireBoundObjectKind<TBuilder>(this TBuilder builder, string kind)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = new AuthorizationPolicyBuilder().RequireBoundObjectKind(kind).Build();
        return builder.RequireAuthorization(policy);
    }
}
