namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>A Kubernetes object named in a token: name and uid, and the namespace for service accounts.</summary>
public sealed record ObjectReference(string Name, string? Uid, string? Namespace = null);
