using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// <c>samples/cluster/run.sh</c> as a user runs it: a private PostgreSQL, Authority replicas and the YARP balancer,
/// all real processes, in a directory of the test's own (<c>--dir</c>), on free ports. The test reaches every piece
/// through what the script writes (<c>cluster.env</c>, the replicas' data directories); dispose sends the script
/// Ctrl-C (SIGINT) and, whatever happened, kills what is left and stops the database.
/// </summary>
internal sealed partial class RunningCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _script;
    private readonly StringBuilder _output = new();
    private readonly ITestOutputHelper _log;
    private readonly TemporaryDirectory? _owned;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    private string? _directory;

    private RunningCluster(Process script, string? directory, TemporaryDirectory? owned, ITestOutputHelper log)
    {
        _script = script;
        _directory = directory;
        _owned = owned;
        _log = log;
    }

    /// <summary>The cluster's directory (<c>--dir</c>, or the temporary one the script printed).</summary>
    public string Directory => _directory ?? throw new InvalidOperationException($"run.sh has not said where its files are:\n{Output}");

    /// <summary>The private PostgreSQL's port on 127.0.0.1.</summary>
    public int PostgresPort => int.Parse(Env("PG_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The balancer's URL, which is also every replica's issuer.</summary>
    public Uri Balancer => new(Env("ISSUER"));

    /// <summary>Each replica's own URL, in start order (replica-1 first).</summary>
    public IReadOnlyList<Uri> Replicas => [.. Env("REPLICA_URLS").Split(' ').Select(u => new Uri(u))];

    /// <summary>The process ids: the replicas in order, then the balancer.</summary>
    public IReadOnlyList<int> Pids => [.. Env("PIDS").Split(' ').Select(int.Parse)];

    /// <summary>The certificate every replica and the balancer serve.</summary>
    public string CertificateAuthorityFile => Path.Combine(Directory, "replica-1", "tls.crt");

    public string AdminToken => File.ReadAllText(Path.Combine(Directory, "replica-1", "admin.token")).Trim();

    public string ReviewerToken => File.ReadAllText(Path.Combine(Directory, "replica-1", "reviewer.token")).Trim();

    /// <summary>The database every replica uses, as the script's own user.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Env("PG_PORT")};Username=tokenauthority;Password={File.ReadAllText(Path.Combine(Directory, "pg.password")).Trim()};Database=tokenauthority;Pooling=false;Timeout=5";

    /// <summary>Everything the script printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool ScriptHasExited => _script.HasExited;

    /// <summary>Runs the script with <c>--no-build</c> (the test project built the samples) and waits until it says it is ready.</summary>
    public static Task<RunningCluster> StartAsync(ITestOutputHelper log, string? directory = null, params string[] authoritySettings)
    {
        var owned = directory is null ? new TemporaryDirectory() : null;
        return StartAsync(log, directory ?? owned!.Path, owned, authoritySettings);
    }

    /// <summary>As <see cref="StartAsync(ITestOutputHelper, string?, string[])"/>, with further options for the script itself (e.g. <c>--probe-interval</c>).</summary>
    public static Task<RunningCluster> StartWithScriptOptionsAsync(ITestOutputHelper log, string[] scriptOptions, params string[] authoritySettings)
    {
        var owned = new TemporaryDirectory();
        return StartAsync(log, owned.Path, owned, [.. scriptOptions, "--", .. authoritySettings], separatorIncluded: true);
    }

    /// <summary>As a user runs it, without <c>--dir</c>: the script makes a temporary directory (and deletes it when stopped).</summary>
    public static Task<RunningCluster> StartInTemporaryDirectoryAsync(ITestOutputHelper log) => StartAsync(log, directory: null, owned: null, []);

    private static async Task<RunningCluster> StartAsync(ITestOutputHelper log, string? directory, TemporaryDirectory? owned, string[] arguments, bool separatorIncluded = false)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[SamplePaths.ClusterScript, "--no-build", "--configuration", SamplePaths.Configuration,
                     "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(argument);
        }

        if (directory is not null)
        {
            info.ArgumentList.Add("--dir");
            info.ArgumentList.Add(directory);
        }

        if (arguments.Length > 0 && !separatorIncluded)
        {
            info.ArgumentList.Add("--"); // what follows is for every replica
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var cluster = new RunningCluster(new Process { StartInfo = info }, directory, owned, log);
        cluster._script.OutputDataReceived += (_, e) => cluster.Append(e.Data);
        cluster._script.ErrorDataReceived += (_, e) => cluster.Append(e.Data);
        cluster._script.Start();
        cluster._script.BeginOutputReadLine();
        cluster._script.BeginErrorReadLine();
        try
        {
            await cluster.WaitForOutputAsync("Ctrl-C stops everything.", StartTimeout);
            cluster._directory ??= FilesLine().Match(cluster.Output).Groups[1].Value;
            cluster.ReadEnvironment();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the script has printed <paramref name="text"/>; fails with its output when it exits first or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_script.HasExited || deadline.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException(
                    $"run.sh {(_script.HasExited ? $"exited ({_script.ExitCode})" : $"did not print \"{text}\" within {timeout}")}:\n{Output}\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A client that trusts the cluster's certificate, with the admin token unless another is given.</summary>
    public HttpClient Client(string? bearerToken = null) => TrustingHttpClient.Create(CertificateAuthorityFile, bearerToken ?? AdminToken);

    /// <summary>Sends a request with a JSON body (or none) to <paramref name="server"/>; returns the status and the body.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, Uri server, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await RunningSamples.ReadJsonAsync(response));
    }

    /// <summary>Creates pod <paramref name="name"/> in <c>default</c> through <paramref name="server"/>.</summary>
    public async Task CreatePodAsync(HttpClient client, Uri server, string name)
    {
        var (status, body) = await SendAsync(client, server, HttpMethod.Post, "/api/v1/namespaces/default/pods", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        Assert.True(status == 201, $"creating pod {name} answered {status}: {body?.ToJsonString()}");
    }

    /// <summary>Deletes pod <paramref name="name"/> in <c>default</c> through <paramref name="server"/>.</summary>
    public async Task DeletePodAsync(HttpClient client, Uri server, string name)
    {
        var (status, body) = await SendAsync(client, server, HttpMethod.Delete, $"/api/v1/namespaces/default/pods/{name}");
        Assert.True(status == 200, $"deleting pod {name} answered {status}: {body?.ToJsonString()}");
    }

    /// <summary>The body of a TokenRequest for audience <c>orders</c>, bound to pod <paramref name="pod"/> when given.</summary>
    public static string TokenRequestBody(string? pod)
    {
        var bound = pod is null ? string.Empty : $$$""","boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"{{{pod}}}"}""";
        return $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["orders"]{{{bound}}}}}""";
    }

    /// <summary>The body of a TokenReview of <paramref name="token"/> for audience <c>orders</c>.</summary>
    public static string TokenReviewBody(string token) =>
        $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}","audiences":["orders"]}}""";

    /// <summary>Whether a TokenReview's status says authenticated.</summary>
    public static bool IsAuthenticated(JsonNode status) => status["authenticated"]?.GetValue<bool>() == true;

    /// <summary>The <c>kid</c> of a JWT's header, read without verifying.</summary>
    public static string KeyIdOf(string token) =>
        JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal))))!["kid"]!.GetValue<string>();

    /// <summary>A TokenRequest for <c>default/default</c> through <paramref name="server"/>, whatever it answers.</summary>
    public Task<(int Status, JsonNode? Body)> SendTokenRequestAsync(HttpClient client, Uri server, string? pod) =>
        SendAsync(client, server, HttpMethod.Post, "/api/v1/namespaces/default/serviceaccounts/default/token", TokenRequestBody(pod));

    /// <summary>A TokenReview through <paramref name="server"/>, whatever it answers.</summary>
    public Task<(int Status, JsonNode? Body)> SendTokenReviewAsync(HttpClient client, Uri server, string token) =>
        SendAsync(client, server, HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", TokenReviewBody(token));

    /// <summary>A TokenRequest for <c>default/default</c>, audience <c>orders</c>, bound to pod <paramref name="pod"/> when given.</summary>
    public async Task<string> RequestTokenAsync(HttpClient client, Uri server, string? pod)
    {
        var (status, body) = await SendTokenRequestAsync(client, server, pod);
        Assert.True(status == 201, $"TokenRequest through {server} answered {status}: {body?.ToJsonString()}");
        return body!["status"]!["token"]!.GetValue<string>();
    }

    /// <summary>A TokenReview (audience <c>orders</c>) through <paramref name="server"/>: the status object.</summary>
    public async Task<JsonNode> ReviewAsync(HttpClient client, Uri server, string token)
    {
        var (status, body) = await SendTokenReviewAsync(client, server, token);
        Assert.True(status == 201, $"TokenReview through {server} answered {status}: {body?.ToJsonString()}");
        return body!["status"]!;
    }

    /// <summary>Kills replica <paramref name="index"/> (0-based) with SIGKILL, as a crash would.</summary>
    public void KillReplica(int index) => Signal(Pids[index], "KILL");

    /// <summary>Stops the database (<c>pg_ctl stop -m fast</c>): every connection of every replica ends.</summary>
    public Task StopDatabaseAsync() => PgCtlAsync($"stop -m fast -w");

    /// <summary>Starts the database again on the same port, with the script's options.</summary>
    public Task StartDatabaseAsync() => PgCtlAsync($"start -w -l {Path.Combine(Directory, "postgresql.log")} -o \"{Env("PG_START_OPTIONS")}\"");

    /// <summary>How many times the replicas have queried the objects table since the last <see cref="ResetQueryStatisticsAsync"/>.</summary>
    public async Task<long> ObjectQueriesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query ILIKE '%objects%' AND query NOT ILIKE '%pg_stat_statements%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Zeroes the database's per-statement counters (<c>pg_stat_statements_reset()</c>).</summary>
    public async Task ResetQueryStatisticsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Sends the script Ctrl-C (SIGINT), <paramref name="presses"/> times 200 ms apart, and waits for it to exit; returns its exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout, int presses = 1)
    {
        for (var press = 0; press < presses && !_script.HasExited; press++)
        {
            if (press > 0)
            {
                await Task.Delay(200);
            }

            Signal(_script.Id, "INT");
        }

        using var cancellation = new CancellationTokenSource(timeout);
        await _script.WaitForExitAsync(cancellation.Token);
        _script.WaitForExit(); // the output's last lines
        return _script.ExitCode;
    }

    /// <summary>Each process's log, for a failure message.</summary>
    public string Logs()
    {
        var logs = new StringBuilder();
        foreach (var file in _directory is not null && System.IO.Directory.Exists(_directory) ? System.IO.Directory.GetFiles(_directory, "*.log") : [])
        {
            var lines = File.ReadAllLines(file);
            logs.Append("--- ").Append(Path.GetFileName(file)).AppendLine(" (last 40 lines)").AppendJoin('\n', lines.TakeLast(40)).AppendLine();
        }

        return logs.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_script.HasExited)
            {
                await InterruptAsync(TimeSpan.FromSeconds(60));
            }
        }
        catch (OperationCanceledException)
        {
            _log.WriteLine("run.sh did not stop within 60 s of Ctrl-C");
        }
        finally
        {
            // Whatever the script left: its processes and the database.
            foreach (var pid in _environment.ContainsKey("PIDS") ? Pids : [])
            {
                Signal(pid, "KILL");
            }

            if (!_script.HasExited)
            {
                _script.Kill(entireProcessTree: true);
            }

            if (_directory is not null && File.Exists(Path.Combine(_directory, "pg", "postmaster.pid")))
            {
                try
                {
                    await PgCtlAsync("stop -m immediate -w");
                }
                catch (InvalidOperationException ex)
                {
                    _log.WriteLine(ex.Message);
                }
            }

            _log.WriteLine(Output);
            _script.Dispose();
            _owned?.Dispose();
        }
    }

    private string Env(string key) =>
        _environment.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"cluster.env has no {key}:\n{Output}");

    private void ReadEnvironment()
    {
        foreach (var line in File.ReadAllLines(Path.Combine(Directory, "cluster.env")))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            _environment[line[..equals]] = line[(equals + 1)..].Trim('"');
        }
    }

    private async Task PgCtlAsync(string arguments)
    {
        var pgCtl = $"{Env("PG_BIN")}/pg_ctl -D {Path.Combine(Directory, "pg")} {arguments}";
        var info = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", "bash", "-c", pgCtl])
            : new ProcessStartInfo("bash", ["-c", pgCtl]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
        kill.WaitForExit();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[cluster\] files: (\S+) \(")]
    private static partial System.Text.RegularExpressions.Regex FilesLine();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
