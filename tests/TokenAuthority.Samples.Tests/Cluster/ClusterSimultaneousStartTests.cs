using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using TokenAuthority.PostgreSql.Tests.TestSupport;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Cluster;

/// <summary>
/// Issue #13: three Authority replicas started at the same moment (not one first, as run.sh does) on an empty PostgreSQL
/// database and one shared, empty Data Protection key directory. They must create one schema and one ring with one
/// active key, publish the same keys, and accept each other's tokens: each can decrypt the keys another encrypted.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterSimultaneousStartTests(PostgresCluster postgres, ITestOutputHelper output) : IClassFixture<PostgresCluster>
{
    private const int Replicas = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    [UnixFact]
    public async Task Three_replicas_started_together_on_an_empty_database_make_one_schema_one_active_key_and_accept_each_others_tokens()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var root = new TemporaryDirectory();
        var protection = root.Combine("dataprotection-keys");
        Directory.CreateDirectory(protection);
        var issuer = $"https://127.0.0.1:{FreePort.Next()}";
        var data = Enumerable.Range(1, Replicas).Select(n => root.Combine($"replica-{n}")).ToArray();
        var urls = Enumerable.Range(0, Replicas).Select(_ => new Uri($"https://127.0.0.1:{FreePort.Next()}")).ToArray();

        // The same moment, twice over: the processes are created together, and the database holds them at its door (the
        // test holds the schema's advisory lock) until all three wait there, so they go on from the same instant.
        await using var gate = new NpgsqlConnection(database);
        await gate.OpenAsync();
        await ExecuteAsync(gate, $"SELECT pg_advisory_lock({SchemaLockId})");
        using var barrier = new Barrier(Replicas);
        var processes = await Task.WhenAll(Enumerable.Range(0, Replicas).Select(i => Task.Run(() =>
        {
            barrier.SignalAndWait();
            return SampleProcess.Start($"replica-{i + 1}", SamplePaths.AuthorityAssembly,
                "--urls", urls[i].ToString().TrimEnd('/'), "--DataDirectory", data[i],
                "--Storage:Provider", "PostgreSql", "--Storage:ConnectionString", database, "--Storage:DataProtectionKeys", protection,
                "--TokenAuthority:Issuer", issuer);
        })));
        try
        {
            await OpenTheGateAsync(gate, processes);
            await Task.WhenAll(processes.Select((p, i) =>
                p.WaitUntilReadyAsync(() => TrustingHttpClient.Create(Path.Combine(data[i], "tls.crt")), new Uri(urls[i], "/readyz"), ReadyTimeout)));
            var clients = data.Select(d => TrustingHttpClient.Create(Path.Combine(d, "tls.crt"), File.ReadAllText(Path.Combine(d, "admin.token")).Trim())).ToArray();
            try
            {
                await AssertOneClusterAsync(database, protection, urls, clients);
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }
        catch
        {
            foreach (var process in processes)
            {
                output.WriteLine($"--- {process.Name}\n{process.Output}");
            }

            throw;
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    private async Task AssertOneClusterAsync(string database, string protection, Uri[] urls, HttpClient[] clients)
    {
        // One schema, created once.
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tokenauthority'"));
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM tokenauthority.schema_version"));

        // The ring in the database: exactly one key has ever activated (the active one); report the rest.
        var ring = new StringBuilder();
        var rows = new List<(string Kid, bool Activated)>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT kid, algorithm, published, activates, activates <= now() FROM tokenauthority.key_ring ORDER BY activates", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetBoolean(4)));
                ring.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  {reader.GetString(0)} {reader.GetString(1)} published {reader.GetDateTime(2):O} activates {reader.GetDateTime(3):O}{(reader.GetBoolean(4) ? " (active)" : string.Empty)}");
            }
        }

        var keyFiles = Directory.GetFiles(protection, "*.xml");
        output.WriteLine($"key_ring holds {rows.Count} key(s):{ring}\nThe shared Data Protection directory holds {keyFiles.Length} key file(s): {string.Join(", ", keyFiles.Select(Path.GetFileName))}");
        var active = Assert.Single(rows, r => r.Activated);

        // One Data Protection key. The ring is the first user of Data Protection (the key set is read by ValidateOnStart,
        // before DataProtectionHostedService loads the key ring), and the ring is created under its advisory lock, so one
        // replica makes the Data Protection key and the others find it. Were anything to use Data Protection before the
        // ring, each replica would make its own key here (checked: 2 key files in 3 of 3 runs with a Protect call
        // inserted after the schema step), and a ring key encrypted by one replica more than two minutes after start
        // (when Data Protection stops re-reading its directory for unknown keys) could not be decrypted by another.
        Assert.Single(keyFiles);

        // Every replica: the same ring through the admin API (one Active key, the database's), the same kids in its JWKS.
        var databaseKids = rows.Select(r => r.Kid).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < urls.Length; i++)
        {
            var keys = await GetAsync(clients[i], new Uri(urls[i], "/apis/tokenauthority.dev/v1/keys"));
            var states = keys["keys"]!.AsArray().Select(k => (Kid: k!["kid"]!.GetValue<string>(), State: k["state"]!.GetValue<string>())).ToList();
            Assert.Equal(active.Kid, Assert.Single(states, s => s.State == "Active").Kid);
            Assert.Equal(databaseKids, states.Select(s => s.Kid).Order(StringComparer.Ordinal));

            var jwks = await GetAsync(clients[i], new Uri(urls[i], "/openid/v1/jwks"));
            Assert.Equal(databaseKids, jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        }

        // A token issued by each replica verifies on the other two (each decrypts and signs with the key another encrypted).
        for (var issuing = 0; issuing < urls.Length; issuing++)
        {
            var request = await PostAsync(clients[issuing], new Uri(urls[issuing], "/api/v1/namespaces/default/serviceaccounts/default/token"),
                RunningCluster.TokenRequestBody(pod: null));
            var token = request["status"]!["token"]!.GetValue<string>();
            for (var reviewing = 0; reviewing < urls.Length; reviewing++)
            {
                if (reviewing == issuing)
                {
                    continue;
                }

                var review = await PostAsync(clients[reviewing], new Uri(urls[reviewing], "/apis/authentication.k8s.io/v1/tokenreviews"),
                    RunningCluster.TokenReviewBody(token));
                Assert.True(review["status"]!["authenticated"]?.GetValue<bool>() == true,
                    $"a token issued by replica-{issuing + 1} is refused by replica-{reviewing + 1}: {review.ToJsonString()}");
            }
        }
    }

    /// <summary>The advisory lock under which the PostgreSQL package creates the schema "tokenauthority" (the first 8 bytes of a SHA-256).</summary>
    private static long SchemaLockId => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("tokenauthority:schema:tokenauthority")), 0);

    /// <summary>Waits until every replica waits for the schema lock, then releases it.</summary>
    private static async Task OpenTheGateAsync(NpgsqlConnection gate, SampleProcess[] processes)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var waiting = new NpgsqlCommand($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = {SchemaLockId}", gate);
            if ((long)(await waiting.ExecuteScalarAsync())! == processes.Length)
            {
                break;
            }

            Assert.True(clock.Elapsed < ReadyTimeout && processes.All(p => !p.HasExited),
                "the replicas did not all reach the database within the time:\n" + string.Join('\n', processes.Select(p => $"--- {p.Name}\n{p.Output}")));
            await Task.Delay(50);
        }

        await ExecuteAsync(gate, $"SELECT pg_advisory_unlock({SchemaLockId})");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, Uri url, string json)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"POST {url} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
