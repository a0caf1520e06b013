using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TokenAuthority.PostgreSql.Tests.DependencyInjection;

public sealed class PostgreSqlOptionsValidatorTests
{
    [Theory]
    [InlineData(null, "tokenauthority", "No PostgreSQL connection string is set")]
    [InlineData("Host=db;Bogus Keyword=1;Password=hunter2", "tokenauthority", "cannot be parsed")]
    [InlineData("Host=db", "Token-Authority", "schema name \"Token-Authority\" is not allowed")]
    [InlineData("Host=db", "x; DROP TABLE y", "is not allowed")]
    public void BadOptionsAreRefusedAtStartWithAMessageThatSaysWhatToChange(string? connectionString, string schema, string expected)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o => o.Issuer = "https://authority.test").AddPostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.Schema = schema;
        });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodOptionsPass()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTokenAuthority(o => o.Issuer = "https://authority.test").AddPostgreSql("Host=127.0.0.1;Database=a;Username=b;Password=c");
        using var provider = services.BuildServiceProvider();
        Assert.Equal("tokenauthority", provider.GetRequiredService<IOptions<PostgreSqlOptions>>().Value.Schema);
    }
}
