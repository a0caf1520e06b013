namespace TokenAuthority.Binding;

/// <summary>The object kinds TokenAuthority knows without registration.</summary>
public static class BoundObjectKinds
{
    /// <summary>A service account (the token's subject; never a bound object).</summary>
    public const string ServiceAccount = "ServiceAccount";

    /// <summary>A pod (namespaced).</summary>
    public const string Pod = "Pod";

    /// <summary>A secret (namespaced).</summary>
    public const string Secret = "Secret";

    /// <summary>A node (cluster-scoped).</summary>
    public const string Node = "Node";
}
