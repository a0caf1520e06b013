using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.PostgreSql.DependencyInjection;

/// <summary>Checks <see cref="PostgreSqlOptions"/> at start-up, with messages that say what to change.</summary>
internal sealed class PostgreSqlOptionsValidator : IValidateOptions<PostgreSqlOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("No PostgreSQL connection string is set: pass one to AddPostgreSql(...).");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException)
            {
                // The message of Npgsql's exception may quote the connection string (a password): not repeated here.
                failures.Add("The PostgreSQL connection string cannot be parsed; check its keywords (Host, Port, Database, Username, Password, …).");
            }
        }

        if (!PostgreSqlDatabase.IsValidSchemaName(options.Schema))
        {
            failures.Add($"The PostgreSQL schema name \"{options.Schema}\" is not allowed: use 1 to 63 lower-case letters, digits and underscores, starting with a letter.");
        }

        if (options.ReconnectDelay <= TimeSpan.Zero || options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"PostgreSqlOptions.ReconnectDelay ({options.ReconnectDelay}) must be positive and at most MaxReconnectDelay ({options.MaxReconnectDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
