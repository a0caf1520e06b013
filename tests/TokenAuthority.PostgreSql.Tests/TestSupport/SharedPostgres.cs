namespace TokenAuthority.PostgreSql.Tests.TestSupport;

/// <summary>The tests that share one cluster (each creates its own database).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
