namespace TokenAuthority.PostgreSql.Tests.TestSupport;

/// <summary>The tests that stop and start their cluster: a cluster of their own, so no other test sees it down.</summary>
[CollectionDefinition(Name)]
public sealed class RestartablePostgres : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres-restartable";
}
