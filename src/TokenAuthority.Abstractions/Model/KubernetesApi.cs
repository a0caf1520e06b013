namespace TokenAuthority.Model;

/// <summary>API group and version names used on the wire.</summary>
public static class KubernetesApi
{
    /// <summary>The authentication API group.</summary>
    public const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary><c>authentication.k8s.io/v1</c>.</summary>
    public const string AuthenticationV1 = "authentication.k8s.io/v1";

    /// <summary>The core group version, <c>v1</c>.</summary>
    public const string CoreV1 = "v1";
}
