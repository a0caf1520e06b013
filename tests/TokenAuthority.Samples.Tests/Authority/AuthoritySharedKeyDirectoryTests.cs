using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using static TokenAuthority.Samples.Tests.TestSupport.AuthorityAdminCalls;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// Two Authority processes with their own data directories and one shared key directory, as two replicas behind a load
/// balancer: started at the same moment they create one ring, and each verifies the other's tokens before and after a
/// rotation asked of one of them.
/// </summary>
public sealed class AuthoritySharedKeyDirectoryTests(ITestOutputHelper output)
{

    // One issuer for both, as replicas serve; short timings so a rotation completes within the test (a key signs once it
    // has been published for the max-age plus the refresh interval: 3 s here).
    private const string Issuer = "https://authority.replicas.test";

    [Fact]
    public async Task Two_instances_started_together_create_one_ring_and_verify_each_others_tokens_across_a_rotation()
    {
        using var shared = new TemporaryDirectory();
        using var dataA = new TemporaryDirectory();
        using var dataB = new TemporaryDirectory();
        var keys = shared.Combine("keys");
        var urlA = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        var urlB = new Uri($"https://127.0.0.1:{FreePort.Next()}");

        // Replicas share their objects (a token names its service account's uid): both start from the same database.
        await SeedSameObjectsAsync(dataA, dataB);

        // Both start at the same moment, on an empty key directory.
        using var a = Start(dataA, urlA, keys);
        using var b = Start(dataB, urlB, keys);
        try
        {
            await Task.WhenAll(
                a.WaitUntilReadyAsync(() => TrustingHttpClient.Create(dataA.Combine("tls.crt")), new Uri(urlA, "/healthz"), TimeSpan.FromSeconds(90)),
                b.WaitUntilReadyAsync(() => TrustingHttpClient.Create(dataB.Combine("tls.crt")), new Uri(urlB, "/healthz"), TimeSpan.FromSeconds(90)));
            using var adminA = Admin(dataA);
            using var adminB = Admin(dataB);

            // One ring: the same keys on both (the signing key and its published successor), two key files, one creator.
            var viewA = await ViewAsync(adminA, urlA);
            var viewB = await ViewAsync(adminB, urlB);
            Assert.Equal(viewA, viewB);
            Assert.Equal(["Active", "Published"], viewA.Values.Order());
            Assert.Equal(viewA.Keys.Order(), Directory.GetFiles(keys, "*.key").Select(f => Path.GetFileNameWithoutExtension(f)).Order());
            var generated = Count(a.Output, "generated key") + Count(b.Output, "generated key");
            Assert.True(generated == 2, $"the two instances generated {generated} keys between them; one ring has 2");
            var first = viewA.Single(k => k.Value == "Active").Key;
            var successor = viewA.Single(k => k.Value == "Published").Key;

            // Each verifies the other's tokens.
            var tokenA = await RequestTokenAsync(adminA, urlA);
            var tokenB = await RequestTokenAsync(adminB, urlB);
            Assert.Equal(first, KeyId(tokenA));
            Assert.Equal(first, KeyId(tokenB));
            Assert.True(await ReviewAsync(adminB, urlB, tokenA), "B refuses A's token");
            Assert.True(await ReviewAsync(adminA, urlA, tokenB), "A refuses B's token");

            // The admin rotates on A: the successor signs once it has been published long enough (at once, or within 3 s).
            using var rotate = await adminA.PostAsync(new Uri(urlA, KeysPath + "/rotate"), null);
            var rotation = JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!["rotation"]!;
            Assert.Equal(200, (int)rotate.StatusCode);
            Assert.Equal(successor, rotation["kid"]!.GetValue<string>());

            // B sees it from the shared directory within its refresh interval; both sign with the successor.
            var afterA = await WaitForActiveAsync(adminA, urlA, successor);
            var afterB = await WaitForActiveAsync(adminB, urlB, successor);
            Assert.Equal(afterA, afterB);
            Assert.Equal("Retired", afterA[first]);
            var tokenA2 = await RequestTokenAsync(adminA, urlA);
            var tokenB2 = await RequestTokenAsync(adminB, urlB);
            Assert.Equal(successor, KeyId(tokenA2));
            Assert.Equal(successor, KeyId(tokenB2));

            // Every token, from before and after the rotation, verifies on both.
            foreach (var token in new[] { tokenA, tokenB, tokenA2, tokenB2 })
            {
                Assert.True(await ReviewAsync(adminA, urlA, token), $"A refuses a token signed by {KeyId(token)}");
                Assert.True(await ReviewAsync(adminB, urlB, token), $"B refuses a token signed by {KeyId(token)}");
            }
        }
        finally
        {
            output.WriteLine("----- A -----\n" + a.Output);
            output.WriteLine("----- B -----\n" + b.Output);
        }
    }

    private static async Task SeedSameObjectsAsync(TemporaryDirectory first, TemporaryDirectory second)
    {
        var directory = new TokenAuthority.Samples.Authority.Bootstrap.DataDirectory(first.Path);
        directory.EnsureExists();
        await new TokenAuthority.Samples.Authority.Storage.ObjectStore(directory, TimeProvider.System).InitializeAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(second.Path);
        File.Copy(directory.Database, Path.Combine(second.Path, Path.GetFileName(directory.Database)));
    }

    private static SampleProcess Start(TemporaryDirectory data, Uri url, string keys) =>
        SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            "--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path,
            "--TokenAuthority:Issuer", Issuer,
            "--TokenAuthority:Keys:Directory", keys,
            "--TokenAuthority:Keys:JwksMaxAge", "00:00:02",
            "--TokenAuthority:Keys:RefreshInterval", "00:00:01");

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The admin view: kid → state.</summary>

    private static async Task<SortedDictionary<string, string>> WaitForActiveAsync(HttpClient admin, Uri url, string kid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var view = await ViewAsync(admin, url);
            if (view.TryGetValue(kid, out var state) && state == "Active" && view.ContainsValue("Published"))
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url}: key {kid} is not active after 30 s: {string.Join(", ", view)}");
            await Task.Delay(250);
        }
    }
}
