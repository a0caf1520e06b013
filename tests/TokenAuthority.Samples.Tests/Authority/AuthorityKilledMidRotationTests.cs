using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using static TokenAuthority.Samples.Tests.TestSupport.AuthorityAdminCalls;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// A real crash in the middle of a rotation: the Authority is stopped (by the core's test-only pause hook,
/// <c>TOKENAUTHORITY_TEST_KEYRING_PAUSE_DIR</c>) at a step of writing its key directory and killed with SIGKILL there.
/// Started again, the ring loads, and every key that signed a still-valid token is there and verifies it.
/// </summary>
public sealed class AuthorityKilledMidRotationTests(ITestOutputHelper output)
{

    [Theory]
    [InlineData("key-written")]                      // the new key's file is durable, ring.json is not rewritten yet
    [InlineData("key-written>temp-half-written")]   // ring.json's temporary copy is half written
    [InlineData("ring-written")]                     // the new ring is durable, keys it no longer names not deleted yet
    public async Task A_process_killed_at_a_step_of_a_rotation_leaves_a_ring_that_loads_with_every_key_of_an_unexpired_token(string pauseAt)
    {
        using var data = new TemporaryDirectory();
        using var hook = new TemporaryDirectory();
        Directory.CreateDirectory(hook.Path);
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");

        string first, second, tokenFirst, tokenSecond;
        using (var authority = Start(data, hook, url))
        {
            try
            {
                await Ready(authority, data, url);
                using var admin = Admin(data);

                // A token of the first key; a rotation (which waits the 3 s publish lead at most); a token of the second.
                tokenFirst = await RequestTokenAsync(admin, url);
                first = KeyId(tokenFirst);
                await PostRotateAsync(admin, url);
                second = await WaitForNewActiveAsync(admin, url, first);
                tokenSecond = await RequestTokenAsync(admin, url);
                Assert.Equal(second, KeyId(tokenSecond));

                // Armed: the next rotation's write stops at the step, and the process is killed there.
                File.WriteAllText(hook.Combine("pause-at"), pauseAt);
                var rotating = PostRotateAsync(admin, url);
                await WaitForFileAsync(hook.Combine("paused"), TimeSpan.FromSeconds(30), authority);
                authority.Kill();
                // The request answered (the successor was not ready: its activation was scheduled, and the ring's timer
                // made the write that stopped) or died with the process (the write was its own).
                _ = await Record.ExceptionAsync(() => rotating.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            finally
            {
                output.WriteLine("----- before the kill -----\n" + authority.Output);
            }
        }

        // What the crash left: ring.json parses and names both keys, whose files are there.
        var ring = JsonNode.Parse(File.ReadAllText(data.Combine("keys/ring.json")))!.ToJsonString();
        Assert.Contains(first, ring, StringComparison.Ordinal);
        Assert.Contains(second, ring, StringComparison.Ordinal);

        // Started again (disarmed): the crash's lock is gone, the ring loads, both earlier tokens verify.
        File.Delete(hook.Combine("pause-at"));
        using var restarted = Start(data, hook, url);
        try
        {
            await Ready(restarted, data, url);
            using var admin = Admin(data);
            var view = await ViewAsync(admin, url);
            Assert.Contains(first, view.Keys);
            Assert.Contains(second, view.Keys);
            foreach (var kid in view.Keys)
            {
                Assert.True(File.Exists(data.Combine($"keys/{kid}.key")), $"the ring names {kid}, whose file is missing");
            }

            Assert.True(await ReviewAsync(admin, url, tokenFirst), "the first key's token does not verify after the crash");
            Assert.True(await ReviewAsync(admin, url, tokenSecond), "the second key's token does not verify after the crash");
            Assert.True(await ReviewAsync(admin, url, await RequestTokenAsync(admin, url)));

            // The ring goes on: another rotation completes.
            var active = view.Single(k => k.Value == "Active").Key;
            await PostRotateAsync(admin, url);
            Assert.NotEqual(active, await WaitForNewActiveAsync(admin, url, active));
            Assert.True(await ReviewAsync(admin, url, tokenFirst));
        }
        finally
        {
            output.WriteLine("----- after the restart -----\n" + restarted.Output);
        }
    }

    private static SampleProcess Start(TemporaryDirectory data, TemporaryDirectory hook, Uri url) =>
        SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly,
            new Dictionary<string, string> { ["TOKENAUTHORITY_TEST_KEYRING_PAUSE_DIR"] = hook.Path },
            "--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path,
            "--TokenAuthority:Keys:JwksMaxAge", "00:00:02",
            "--TokenAuthority:Keys:RefreshInterval", "00:00:01");

    private static Task Ready(SampleProcess authority, TemporaryDirectory data, Uri url) =>
        authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));

    private static async Task PostRotateAsync(HttpClient admin, Uri url)
    {
        using var response = await admin.PostAsync(new Uri(url, KeysPath + "/rotate"), null);
        Assert.True((int)response.StatusCode == 200, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitForFileAsync(string path, TimeSpan timeout, SampleProcess authority)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the writer never reached the pause step. Output:\n{authority.Output}");
            Assert.False(authority.HasExited, $"the Authority exited. Output:\n{authority.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until a key other than <paramref name="previous"/> signs and a successor is published; returns the signing key.</summary>
    private static async Task<string> WaitForNewActiveAsync(HttpClient admin, Uri url, string previous)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var view = await ViewAsync(admin, url);
            var active = view.Single(k => k.Value == "Active").Key;
            if (active != previous && view.ContainsValue("Published"))
            {
                return active;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no rotation within 30 s: {string.Join(", ", view)}");
            await Task.Delay(250);
        }
    }
}
