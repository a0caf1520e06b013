namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// The cluster tests run one after another: each starts PostgreSQL, three replicas and a balancer (five processes on
/// two cores), and the delays and counts they measure should not be another cluster's load.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterGroup
{
    public const string Name = "cluster";
}
