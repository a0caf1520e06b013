using System.Text.Json.Nodes;
using TokenAuthority.PostgreSql.Tests.TestSupport;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// Issue #13 item 2: the Authority with <c>--Storage:Provider PostgreSql</c> as a real process on a real PostgreSQL 15
/// (one private cluster for the class, a fresh database per test): the walkthrough, two Authorities on one database,
/// and the start-up errors.
/// </summary>
public sealed class AuthorityPostgreSqlTests(PostgresCluster postgres, ITestOutputHelper output) : IClassFixture<PostgresCluster>
{
    private const string Invalidated = "[invalid bearer token, service account token has been invalidated]";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Walkthrough_on_PostgreSql_objects_TokenRequest_TokenReview_then_a_deleted_pod_is_refused_and_a_restart_keeps_it_all()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var samples = new RunningSamples(output) { AuthorityArguments = ["--Storage:Provider", "PostgreSql", "--Storage:ConnectionString", database] };
        await samples.StartAuthorityAsync();

        // The Data Protection keys that encrypt the ring's private keys: owner-only, under the data directory; no local key ring.
        var protection = samples.Data.Combine("dataprotection-keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(protection));
        Assert.NotEmpty(Directory.GetFiles(protection, "*.xml"));
        Assert.False(File.Exists(samples.Data.Combine("keys/ring.json")));

        // The objects API: the default service account exists, a pod is created, a duplicate is refused with the same text as on SQLite.
        Assert.Equal(200, (await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/serviceaccounts/default")).Status);
        var (created, pod) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"},"spec":{"nodeName":"node-1"}}""");
        Assert.Equal(201, created);
        Assert.Equal("default", pod!["spec"]!["serviceAccountName"]!.GetValue<string>());
        var (again, conflict) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"}}""");
        Assert.Equal(409, again);
        Assert.Equal("pods \"web-0\" already exists", conflict!["message"]!.GetValue<string>());
        var (noAccount, _) = await samples.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-9"},"spec":{"serviceAccountName":"missing"}}""");
        Assert.NotEqual(201, noAccount);
        var (listed, list) = await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        Assert.Equal(200, listed);
        Assert.Equal(["web-0"], list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));

        // TokenRequest bound to the pod; TokenReview accepts it and names the pod.
        var token = await samples.RequestPodBoundTokenAsync("web-0");
        var review = await ReviewAsync(samples, token);
        Assert.True(review["status"]!["authenticated"]!.GetValue<bool>(), review.ToJsonString());
        Assert.Equal(pod["metadata"]!["uid"]!.GetValue<string>(), review["status"]!["user"]!["extra"]!["authentication.kubernetes.io/pod-uid"]![0]!.GetValue<string>());

        // A restart (killed, like a crash) keeps objects and keys: the token still verifies.
        await samples.RestartAuthorityAsync();
        Assert.True((await ReviewAsync(samples, token))["status"]!["authenticated"]!.GetValue<bool>());

        // Delete the pod: the very next TokenReview refuses the token.
        Assert.Equal(200, (await samples.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/web-0")).Status);
        Assert.Equal(404, (await samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web-0")).Status);
        var refused = await ReviewAsync(samples, token);
        Assert.Null(refused["status"]!["authenticated"]);
        Assert.Equal(Invalidated, refused["status"]!["error"]!.GetValue<string>());
    }

    [UnixFact]
    public async Task Two_Authorities_on_one_database_share_objects_and_keys_and_a_pod_deleted_through_one_is_refused_by_the_other()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var protection = new TemporaryDirectory();
        using var first = new RunningSamples(output) { AuthorityArguments = Arguments(database, protection.Path, issuer: null) };
        await first.StartAuthorityAsync();
        var issuer = first.AuthorityUrl.GetLeftPart(UriPartial.Authority);
        using var second = new RunningSamples(output) { AuthorityArguments = Arguments(database, protection.Path, issuer) };
        await second.StartAuthorityAsync();

        // A pod created through the first is seen by the second; a token issued by the first verifies on the second.
        Assert.Equal(201, (await first.PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"web-0"}}""")).Status);
        Assert.Equal(200, (await second.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web-0")).Status);
        var token = await first.RequestPodBoundTokenAsync("web-0");
        var accepted = await ReviewAsync(second, token);
        Assert.True(accepted["status"]!["authenticated"]!.GetValue<bool>(), accepted.ToJsonString());

        // Deleted through the first (the second has just resolved it): the second refuses it on its next TokenReview.
        Assert.Equal(200, (await first.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/web-0")).Status);
        var refused = await ReviewAsync(second, token);
        Assert.Null(refused["status"]!["authenticated"]);
        Assert.Equal(Invalidated, refused["status"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_provider_stops_the_start_with_one_line()
    {
        using var data = new TemporaryDirectory();
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", $"https://127.0.0.1:{FreePort.Next()}", "--DataDirectory", data.Path, "--Storage:Provider", "Oracle");
        var exitCode = await authority.WaitForExitAsync(ExitTimeout);
        output.WriteLine(authority.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Authority cannot start: --Storage:Provider \"Oracle\" is not a storage provider. Pass Sqlite (the default) or PostgreSql.", authority.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("kubeconfig")));
    }

    [Fact]
    public async Task An_unreachable_database_stops_the_start_with_one_line_that_does_not_repeat_the_password()
    {
        using var data = new TemporaryDirectory();
        using var authority = SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", $"https://127.0.0.1:{FreePort.Next()}", "--DataDirectory", data.Path, "--Storage:Provider", "PostgreSql",
            "--Storage:ConnectionString", $"Host=127.0.0.1;Port={FreePort.Next()};Username=authority;Password=s3cr3t-pw;Database=none;Timeout=3");
        var exitCode = await authority.WaitForExitAsync(ExitTimeout);
        output.WriteLine(authority.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Authority cannot start: the PostgreSQL database of --Storage:ConnectionString cannot be used (", authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", authority.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", authority.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("kubeconfig")));
    }

    private static string[] Arguments(string database, string dataProtectionKeys, string? issuer) =>
    [
        "--Storage:Provider", "PostgreSql", "--Storage:ConnectionString", database, "--Storage:DataProtectionKeys", dataProtectionKeys,
        .. issuer is null ? Array.Empty<string>() : ["--TokenAuthority:Issuer", issuer],
    ];

    private static async Task<JsonNode> ReviewAsync(RunningSamples samples, string token)
    {
        var (status, review) = await samples.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}","audiences":["orders"]}}""");
        Assert.Equal(201, status);
        return review!;
    }
}
