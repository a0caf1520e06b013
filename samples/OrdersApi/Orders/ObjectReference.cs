namespace TokenAuthority.Samples.OrdersApi.Orders;

/// <summary>A Kubernetes object named in a token: name and uid, the namespace for service accounts, the kind for the bound object.</summary>
public sealed record ObjectReference(string Name, string? Uid, string? Namespace = null, string? Kind = null);
