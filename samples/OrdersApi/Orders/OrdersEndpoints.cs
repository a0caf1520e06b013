using TokenAuthority.Validation;

namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>The orders API: the same data behind a stateless check and behind a bound-object-aware check.</summary>
internal static class OrdersEndpoints
{
    /// <summary>The policy of <c>GET /orders</c>: a valid signature, issuer, audience and lifetime (OIDC discovery + JWKS).</summary>
    public const string StatelessPolicy = "orders-stateless";

    /// <summary>The policy of <c>GET /orders/bound</c>: the authority's TokenReview, which also checks the bound object still exists.</summary>
    public const string BoundPolicy = "orders-bound";

    private static readonly Order[] SampleOrders =
    [
        new("o-1001", "coffee beans", 2),
        new("o-1002", "oat milk", 6),
    ];

    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/orders", (HttpContext context) => new OrdersResponse(CallerDescriber.Describe(context.GetTokenVerificationResult()?.Identity, "oidc-discovery"), SampleOrders))
            .RequireAuthorization(StatelessPolicy)
            .WithName("listOrders");
        endpoints.MapGet("/orders/bound", (HttpContext context) => new OrdersResponse(CallerDescriber.Describe(context.GetTokenVerificationResult()?.Identity, "token-review"), SampleOrders))
            .RequireAuthorization(BoundPolicy)
            .WithName("listOrdersBound");
        return endpoints;
    }
}
