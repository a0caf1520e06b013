using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Keys;
using TokenAuthority.Samples.Tests.TestSupport;
using static TokenAuthority.Samples.Tests.TestSupport.AuthorityAdminCalls;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// The Authority's keys: a managed key directory under the data directory, an sa.key of an earlier version upgraded in
/// place, and the admin's read-only view and on-demand rotation.
/// </summary>
public sealed class AuthorityKeyRingTests(ITestOutputHelper output)
{

    [Fact]
    public async Task An_existing_sa_key_is_imported_in_place_and_its_tokens_keep_verifying()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        var saKey = data.Combine("sa.key");
        string kid;
        using (var key = TokenKey.GenerateRsa())
        {
            Directory.CreateDirectory(data.Path);
            File.WriteAllText(saKey, key.ExportPrivateKeyPem());
            kid = key.KeyId;
        }

        // An earlier version: sa.key is the one signing key.
        string token;
        using (var old = Start(data, url, "--TokenAuthority:SigningKeyFile", saKey))
        {
            await old.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            Assert.False(Directory.Exists(data.Combine("keys")));
            using var admin = Admin(data);
            token = await RequestTokenAsync(admin, url);
            output.WriteLine(old.Output);
        }

        // This version: the key ring is made from sa.key, which stays the signing key; the old token verifies.
        using var upgraded = Start(data, url);
        try
        {
            await upgraded.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            Assert.True(File.Exists(data.Combine("keys/ring.json")));
            Assert.True(File.Exists(data.Combine($"keys/{kid}.key")));
            using var admin = Admin(data);
            Assert.True(await ReviewAsync(admin, url, token), "a token signed with sa.key before the upgrade does not verify");
            Assert.True(await ReviewAsync(admin, url, await RequestTokenAsync(admin, url)));

            var view = await admin.GetFromJsonAsync<JsonObject>(new Uri(url, KeysPath));
            var active = view!["keys"]!.AsArray().Single(k => k!["state"]!.GetValue<string>() == "Active")!;
            Assert.Equal(kid, active["kid"]!.GetValue<string>());
        }
        finally
        {
            output.WriteLine(upgraded.Output);
        }
    }

    [Fact]
    public async Task The_admin_sees_the_ring_without_key_material_and_a_rotation_waits_for_the_max_age()
    {
        using var data = new TemporaryDirectory();
        var url = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        using var authority = Start(data, url);
        try
        {
            await authority.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri(url, "/healthz"), TimeSpan.FromSeconds(90));
            using var admin = Admin(data);
            using var response = await admin.GetAsync(new Uri(url, KeysPath));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(200, (int)response.StatusCode);
            var keys = JsonNode.Parse(text)!["keys"]!.AsArray();
            Assert.Equal(["Active", "Published"], keys.Select(k => k!["state"]!.GetValue<string>()).Order());
            foreach (var member in new[] { "\"d\"", "PRIVATE", "\"n\"", "\"p\"" })
            {
                Assert.DoesNotContain(member, text, StringComparison.Ordinal);
            }

            // The successor was published a moment ago: it signs only once every cached JWKS (max-age 1 h) has it.
            var signing = keys.Single(k => k!["state"]!.GetValue<string>() == "Active")!["kid"]!.GetValue<string>();
            var successor = keys.Single(k => k!["state"]!.GetValue<string>() == "Published")!["kid"]!.GetValue<string>();
            using var rotate = await admin.PostAsync(new Uri(url, KeysPath + "/rotate"), null);
            var rotation = JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!;
            Assert.Equal(200, (int)rotate.StatusCode);
            Assert.Equal(successor, rotation["rotation"]!["kid"]!.GetValue<string>());
            Assert.False(rotation["rotation"]!["immediate"]!.GetValue<bool>());
            Assert.Contains("less than the JWKS max-age", rotation["rotation"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            var token = await RequestTokenAsync(admin, url);
            Assert.Contains(signing, Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])), StringComparison.Ordinal);

            // The discovery documents carry the ring's max-age.
            using var anonymous = TrustingHttpClient.Create(data.Combine("tls.crt"));
            using var jwks = await anonymous.GetAsync(new Uri(url, "/openid/v1/jwks"));
            Assert.Equal("public, max-age=3600", jwks.Headers.CacheControl!.ToString());

            // Not for anyone but the admin.
            using var reviewer = TrustingHttpClient.Create(data.Combine("tls.crt"), File.ReadAllText(data.Combine("reviewer.token")).Trim());
            Assert.Equal(403, (int)(await reviewer.GetAsync(new Uri(url, KeysPath))).StatusCode);
            Assert.Equal(403, (int)(await reviewer.PostAsync(new Uri(url, KeysPath + "/rotate"), null)).StatusCode);
            Assert.Equal(401, (int)(await anonymous.GetAsync(new Uri(url, KeysPath))).StatusCode);
        }
        finally
        {
            output.WriteLine(authority.Output);
        }
    }

    private static SampleProcess Start(TemporaryDirectory data, Uri url, params string[] more) =>
        SampleProcess.Start("Authority", SamplePaths.AuthorityAssembly, ["--urls", url.GetLeftPart(UriPartial.Authority), "--DataDirectory", data.Path, .. more]);
}
