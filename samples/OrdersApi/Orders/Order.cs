namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>One order (sample data).</summary>
public sealed record Order(string Id, string Item, int Quantity);
