using System.Diagnostics;
using Npgsql;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// (Copied from tests/TokenAuthority.PostgreSql.Tests/TestSupport.) A private PostgreSQL cluster for one test collection: initdb in a temp directory owned by <c>postgres</c> (the server
/// refuses root; as another user it runs as that user), a free port on 127.0.0.1, the socket in the temp directory,
/// stopped with <c>pg_ctl -m fast stop</c> and deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static readonly bool IsRoot = Environment.UserName == "root";
    private readonly string _dir = Directory.CreateTempSubdirectory("ta-pg-").FullName;
    private int _databases;

    public int Port { get; } = TestSupport.FreePort.Next();

    public string Bin { get; } = FindBin();

    /// <summary>The maintenance database's connection string.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", _dir);
        }

        await PgAsync($"{Bin}/initdb -D {_dir}/pg -A trust -U postgres --no-sync >/dev/null");
        await StartAsync();
    }

    public Task StartAsync() =>
        PgAsync($"{Bin}/pg_ctl -D {_dir}/pg -o '-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -l {_dir}/log -w start >/dev/null");

    public Task StopAsync() => PgAsync($"{Bin}/pg_ctl -D {_dir}/pg -m fast -w stop >/dev/null");

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5";
    }

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a test.
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private Task PgAsync(string command) =>
        IsRoot ? RunAsync("su", "postgres", "-s", "/bin/bash", "-c", command) : RunAsync("/bin/bash", "-c", command);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static string FindBin()
    {
        var initdb = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "initdb")).Where(File.Exists).OrderDescending().FirstOrDefault()
            : null;
        return Path.GetDirectoryName(initdb ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); run .ci/setup."))!;
    }
}
