using System.Reflection;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>Where the built samples are (recorded by the test project at build time, same configuration as the tests).</summary>
internal static class SamplePaths
{
    public static string AuthorityAssembly => Metadata("AuthorityAssembly");

    public static string OrdersApiAssembly => Metadata("OrdersApiAssembly");

    public static string BuildServerAssembly => Metadata("BuildServerAssembly");

    /// <summary>The cluster's YARP load balancer (samples/cluster/LoadBalancer).</summary>
    public static string LoadBalancerAssembly => Metadata("LoadBalancerAssembly");

    /// <summary><c>samples/cluster/run.sh</c>: PostgreSQL, Authority replicas and the YARP balancer.</summary>
    public static string ClusterScript => Metadata("ClusterScript");

    /// <summary>The build configuration of the tests and so of the samples beside them (Debug or Release).</summary>
    public static string Configuration =>
        typeof(SamplePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>The repository's README.md.</summary>
    public static string Readme => Metadata("Readme");

    private static string Metadata(string key)
    {
        var path = typeof(SamplePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"The sample is not built at {path}; build the test project (it builds the samples first).", path);
    }
}
