using Npgsql;

namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>
/// Where the objects and the key ring live: <c>--Storage:Provider Sqlite</c> (the default: DATA/objects.db and the key
/// directory) or <c>PostgreSql</c> with <c>--Storage:ConnectionString</c> (objects and key ring shared by every Authority on
/// that database; the ring's private keys encrypted with Data Protection keys in <c>--Storage:DataProtectionKeys</c>).
/// </summary>
/// <param name="UsePostgreSql">Whether the PostgreSQL store was chosen.</param>
/// <param name="ConnectionString">The PostgreSQL connection string (never logged: it may hold a password).</param>
/// <param name="DataProtectionKeys">The Data Protection key directory (PostgreSQL only).</param>
internal sealed record StorageSettings(bool UsePostgreSql, string? ConnectionString, string? DataProtectionKeys)
{
    /// <summary>The provider setting.</summary>
    public const string ProviderKey = "Storage:Provider";

    /// <summary>The connection string setting.</summary>
    public const string ConnectionStringKey = "Storage:ConnectionString";

    /// <summary>The Data Protection key directory setting.</summary>
    public const string DataProtectionKeysKey = "Storage:DataProtectionKeys";

    /// <summary>Reads the settings; a bad value throws <see cref="InvalidOperationException"/> with one line naming the setting.</summary>
    public static StorageSettings Resolve(IConfiguration configuration, string dataDirectory, string contentRoot)
    {
        var provider = configuration[ProviderKey];
        if (string.IsNullOrEmpty(provider) || string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageSettings(false, null, null);
        }

        if (!string.Equals(provider, "PostgreSql", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"--{ProviderKey} \"{provider}\" is not a storage provider. Pass Sqlite (the default) or PostgreSql.");
        }

        var connectionString = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"--{ProviderKey} PostgreSql needs --{ConnectionStringKey} (e.g. \"Host=127.0.0.1;Port=5432;Database=tokenauthority;Username=authority\").");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote the value, which may hold a password: name the setting only.
            throw new InvalidOperationException($"--{ConnectionStringKey} is not a valid PostgreSQL connection string (Key=Value;Key=Value).");
        }

        var keys = configuration[DataProtectionKeysKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, contentRoot)
            : Path.Combine(dataDirectory, "dataprotection-keys");
        return new StorageSettings(true, connectionString, keys);
    }

    /// <summary>Creates the Data Protection key directory owner-only (0700), tightening an existing one.</summary>
    public void EnsureDataProtectionDirectory()
    {
        if (DataProtectionKeys is null)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(DataProtectionKeys);
            return;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(DataProtectionKeys, OwnerOnly);
        File.SetUnixFileMode(DataProtectionKeys, OwnerOnly);
    }
}
