namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>The body of <c>GET /orders</c> and <c>GET /orders/bound</c>.</summary>
public sealed record OrdersResponse(Caller Caller, IReadOnlyList<Order> Orders);
