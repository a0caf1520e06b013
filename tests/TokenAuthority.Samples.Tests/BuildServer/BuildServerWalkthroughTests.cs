using System.Buffers.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Keys;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.BuildServer;

/// <summary>
/// The BuildServer walkthrough of docs/samples.md with the sample as a real process: create a job, use its token,
/// complete the job, see the very next request refused; an outside verifier checks the same token from the served
/// discovery document and JWKS; a restart keeps the key, the jobs and the tokens.
/// </summary>
public sealed class BuildServerWalkthroughTests(ITestOutputHelper output)
{
    private const string Invalidated = "Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"";

    [Fact]
    public async Task A_job_token_writes_its_own_artifacts_until_the_job_completes_and_is_refused_from_the_next_request()
    {
        using var server = new RunningBuildServer(output);
        await server.StartAsync();

        // First start: every file exists, secrets are owner-only, the log says how to start.
        foreach (var file in new[] { "builds.db", "keys/ring.json", "tls.crt", "tls.key", "admin.token" })
        {
            Assert.True(File.Exists(server.Data.Combine(file)), $"{file} was not created");
        }

        // The keys are the managed key directory's; no sa.key is written any more.
        Assert.False(File.Exists(server.Data.Combine("sa.key")));
        var keyFiles = Directory.GetFiles(server.Data.Combine("keys"), "*.key");
        Assert.NotEmpty(keyFiles);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var secret in new[] { "tls.key", "admin.token" }.Select(server.Data.Combine).Concat(keyFiles))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
            }
        }

        // A token-lifetime cap is configured, so the ring can delete retired keys and does not warn about it.
        Assert.DoesNotContain("MaxExpirationSeconds is 0", server.Process!.Output, StringComparison.Ordinal);

        Assert.Contains(
            $"Try it: curl --cacert {server.CertificateAuthorityFile} -H \"Authorization: Bearer $(cat {server.Data.Combine("admin.token")})\" -X POST {server.Issuer}/jobs",
            server.Process!.Output, StringComparison.Ordinal);

        // Only the admin token creates jobs.
        Assert.Equal((401, "Bearer"), Refusal(await server.SendAsync(HttpMethod.Post, "/jobs", null)));
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/jobs", server.AdminToken + "x")).Status);

        // 1. Create a job: its token is service account ci/builder's, bound to the job, for "artifacts", for 600 s.
        var (job, token, created) = await server.CreateJobAsync();
        Assert.Equal("job-1", job);
        var body = created.Json;
        Assert.Equal("ci", body["namespace"]!.GetValue<string>());
        Assert.Equal("builder", body["serviceAccount"]!.GetValue<string>());
        Assert.Equal("Running", body["state"]!.GetValue<string>());
        Assert.Equal("artifacts", body["audience"]!.GetValue<string>());
        var uid = body["uid"]!.GetValue<string>();
        Assert.True(Guid.TryParse(uid, out _), uid);
        var claims = Payload(token);
        // The answer's expirationTimestamp is the token's exp; the job was created a moment before the token was
        // issued, so under load the two instants may fall in different seconds.
        var expiration = DateTimeOffset.Parse(body["expirationTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(claims["exp"]!.GetValue<long>(), expiration.ToUnixTimeSeconds());
        var sinceCreation = expiration - DateTimeOffset.Parse(body["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sinceCreation, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(605));
        Assert.Equal(server.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal("system:serviceaccount:ci:builder", claims["sub"]!.GetValue<string>());
        Assert.Equal("artifacts", Assert.Single(claims["aud"]!.AsArray())!.GetValue<string>());
        Assert.Equal(600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.Equal(job, claims["kubernetes.io"]!["job"]!["name"]!.GetValue<string>());
        Assert.Equal(uid, claims["kubernetes.io"]!["job"]!["uid"]!.GetValue<string>());

        // 2. Use the token: upload, download, list.
        var put = await server.PutArtifactAsync(job, "build.log", token, "build 1: 42 files compiled\n");
        Assert.True(put.Status == 201, put.ToString());
        Assert.Equal(27, put.Json["size"]!.GetValue<long>());
        var get = await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", token);
        Assert.Equal((200, "build 1: 42 files compiled\n"), (get.Status, get.Body));
        var list = await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}", token);
        Assert.Equal("build.log", Assert.Single(list.Json["items"]!.AsArray())!["name"]!.GetValue<string>());

        // A job writes only its own artifacts: 403 on another job's path; any running job reads them.
        var (otherJob, otherToken, _) = await server.CreateJobAsync();
        Assert.Equal("job-2", otherJob);
        var forbidden = await server.SendAsync(HttpMethod.Put, $"/artifacts/{otherJob}/build.log", token, "x"u8.ToArray());
        Assert.Equal((403, "application/problem+json", null), (forbidden.Status, forbidden.ContentType, forbidden.Challenge));
        Assert.Equal(403, (await server.PutArtifactAsync(job, "build.log", otherToken, "overwritten")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", otherToken)).Status);

        // No token, the admin token, or a token of the right key for another audience: 401, each for its reason.
        Assert.Equal((401, "Bearer"), Refusal(await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", null)));
        Assert.Equal((401, "Bearer error=\"invalid_token\", error_description=\"invalid bearer token\""),
            Refusal(await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", server.AdminToken)));
        var apiToken = await RequestTokenAsync(server, $$$$"""{"spec":{"audiences":["other"],"boundObjectRef":{"kind":"Job","apiVersion":"builds.example.com/v1","name":"{{{{job}}}}"}}}""");
        Assert.Equal((401, "Bearer error=\"invalid_token\", error_description=\"token audiences [\\\"other\\\"] is invalid for the target audiences [\\\"artifacts\\\"]\""),
            Refusal(await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", apiToken)));

        // An unbound token of the right audience (TokenRequest lets the admin mint one) is not a job's: 403.
        var unbound = await RequestTokenAsync(server, """{"spec":{"audiences":["artifacts"]}}""");
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", unbound)).Status);

        // An outside verifier, with nothing of TokenAuthority: discovery, JWKS and IdentityModel's JsonWebTokenHandler.
        var stateless = await VerifyStatelesslyAsync(server, token);
        Assert.True(stateless.IsValid, stateless.Exception?.Message);
        Assert.Equal("system:serviceaccount:ci:builder", ((JsonWebToken)stateless.SecurityToken).Subject);

        // 3. Complete the job: its token is refused from the very next request, with Kubernetes' reason.
        var completed = await server.SendAsync(HttpMethod.Post, $"/jobs/{job}/complete", server.AdminToken);
        Assert.True(completed.Status == 200, completed.ToString());
        Assert.Equal("Completed", completed.Json["state"]!.GetValue<string>());
        Assert.NotNull(completed.Json["completedAt"]);

        var refused = await server.PutArtifactAsync(job, "build.log", token, "after completion");
        Assert.Equal((401, Invalidated), Refusal(refused));
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Equal((401, Invalidated), Refusal(await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", token)));

        // The artifacts outlive their job: a running job still reads them, unchanged.
        var kept = await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/build.log", otherToken);
        Assert.Equal((200, "build 1: 42 files compiled\n"), (kept.Status, kept.Body));

        // The stateless verifier cannot know the job has ended: it accepts the token until it expires. Only a
        // verifier that asks (this app, or its TokenReview) sees the completion.
        Assert.True((await VerifyStatelesslyAsync(server, token)).IsValid);
        var (reviewed, review) = await ReviewAsync(server, token);
        Assert.Equal(201, reviewed);
        Assert.Equal("[invalid bearer token, service account token has been invalidated]", review["status"]!["error"]!.GetValue<string>());

        // A completed job cannot be completed again, nor get new tokens.
        var again = await server.SendAsync(HttpMethod.Post, $"/jobs/{job}/complete", server.AdminToken);
        Assert.Equal((409, $"job \"{job}\" has already completed"), (again.Status, again.Json["detail"]!.GetValue<string>()));
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Post, "/jobs/job-999/complete", server.AdminToken)).Status);
        var noToken = await server.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/ci/serviceaccounts/builder/token", server.AdminToken,
            $$$$"""{"spec":{"audiences":["artifacts"],"boundObjectRef":{"kind":"Job","apiVersion":"builds.example.com/v1","name":"{{{{job}}}}"}}}""");
        Assert.Equal((404, $"jobs.builds.example.com \"{job}\" not found"), (noToken.Status, noToken.Json["message"]!.GetValue<string>()));

        // Nothing secret was ever logged.
        Assert.DoesNotContain(server.AdminToken, server.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, server.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", server.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_and_JWKS_are_anonymous_while_TokenRequest_and_TokenReview_need_the_admin_token()
    {
        using var server = new RunningBuildServer(output);
        await server.StartAsync();

        var discovery = await server.SendAsync(HttpMethod.Get, "/.well-known/openid-configuration", null);
        Assert.Equal(200, discovery.Status);
        Assert.Equal(server.Issuer, discovery.Json["issuer"]!.GetValue<string>());
        Assert.Equal(server.Issuer + "/openid/v1/jwks", discovery.Json["jwks_uri"]!.GetValue<string>());
        Assert.NotEmpty((await server.SendAsync(HttpMethod.Get, "/openid/v1/jwks", null)).Json["keys"]!.AsArray());

        var (_, jobToken, _) = await server.CreateJobAsync();
        foreach (var caller in new[] { null, jobToken })
        {
            var request = await server.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/ci/serviceaccounts/builder/token", caller, """{"spec":{}}""");
            Assert.Equal((401, "Status", "Unauthorized"), (request.Status, request.Json["kind"]!.GetValue<string>(), request.Json["reason"]!.GetValue<string>()));
            var review = await server.SendJsonAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", caller, """{"spec":{"token":"x"}}""");
            Assert.Equal((401, "Status"), (review.Status, review.Json["kind"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_restart_keeps_the_key_the_jobs_and_the_tokens_issued_before_it()
    {
        using var server = new RunningBuildServer(output);
        await server.StartAsync();
        var (job, token, _) = await server.CreateJobAsync();
        Assert.Equal(201, (await server.PutArtifactAsync(job, "before.txt", token, "before")).Status);
        var keyIds = await KeyIdsAsync(server);
        var adminToken = server.AdminToken;
        var certificate = File.ReadAllText(server.CertificateAuthorityFile);

        await server.RestartAsync();

        Assert.DoesNotContain("Wrote ", server.Process!.Output, StringComparison.Ordinal);
        Assert.Equal(keyIds, await KeyIdsAsync(server));
        Assert.Equal(adminToken, server.AdminToken);
        Assert.Equal(certificate, File.ReadAllText(server.CertificateAuthorityFile));

        // The token from before the restart still verifies, in process and statelessly, and its job still runs.
        Assert.Equal(201, (await server.PutArtifactAsync(job, "after.txt", token, "after")).Status);
        Assert.Equal("before", (await server.SendAsync(HttpMethod.Get, $"/artifacts/{job}/before.txt", token)).Body);
        Assert.True((await VerifyStatelesslyAsync(server, token)).IsValid);

        // Job names continue, never reused; completing after the restart ends the old token too.
        Assert.Equal("job-2", (await server.CreateJobAsync()).Job);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, $"/jobs/{job}/complete", server.AdminToken)).Status);
        Assert.Equal((401, Invalidated), Refusal(await server.PutArtifactAsync(job, "late.txt", token, "late")));
    }

    [Fact]
    public async Task A_data_directory_of_an_earlier_version_with_sa_key_is_upgraded_in_place_and_its_tokens_keep_verifying()
    {
        using var server = new RunningBuildServer(output);
        var saKey = server.Data.Combine("sa.key");
        string kid;
        using (var key = TokenKey.GenerateRsa())
        {
            Directory.CreateDirectory(server.Data.Path);
            File.WriteAllText(saKey, key.ExportPrivateKeyPem());
            kid = key.KeyId;
        }

        // An earlier version: sa.key is the one signing key (as TokenAuthority:SigningKeyFile says); a job gets a token.
        await server.StartAsync("--TokenAuthority:SigningKeyFile", saKey);
        Assert.False(Directory.Exists(server.Data.Combine("keys")));
        var (job, token, _) = await server.CreateJobAsync();
        Assert.Equal(kid, Header(token)["kid"]!.GetValue<string>());
        Assert.Equal(201, (await server.PutArtifactAsync(job, "before.txt", token, "before")).Status);

        // This version, on the same data directory: the ring is made from sa.key, which stays the signing key.
        await server.RestartAsync();
        Assert.True(File.Exists(server.Data.Combine("keys/ring.json")));
        Assert.True(File.Exists(server.Data.Combine($"keys/{kid}.key")));
        Assert.Contains($"imported the existing key {kid}", server.Process!.Output, StringComparison.Ordinal);

        // The token from before the upgrade verifies in process, through TokenReview and statelessly; new ones use the same key.
        Assert.Equal(201, (await server.PutArtifactAsync(job, "after.txt", token, "after")).Status);
        var (reviewed, review) = await ReviewAsync(server, token);
        Assert.Equal(201, reviewed);
        Assert.True(review["status"]!["authenticated"]!.GetValue<bool>(), review.ToJsonString());
        Assert.True((await VerifyStatelesslyAsync(server, token)).IsValid);
        var (_, newToken, _) = await server.CreateJobAsync();
        Assert.Equal(kid, Header(newToken)["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_https_url_the_BuildServer_stops_with_a_message()
    {
        using var data = new TemporaryDirectory();
        using var process = SampleProcess.Start("BuildServer", SamplePaths.BuildServerAssembly,
            "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--DataDirectory", data.Path);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(process.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("BuildServer cannot start: None of the URLs", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(data.Path));
    }

    [Fact]
    public async Task Listening_on_every_interface_without_AllowNonLoopback_is_warned_in_one_line()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        using var process = SampleProcess.Start("BuildServer", SamplePaths.BuildServerAssembly,
            "--urls", $"https://0.0.0.0:{port}", "--DataDirectory", data.Path);
        try
        {
            await process.WaitUntilReadyAsync(() => TrustingHttpClient.Create(data.Combine("tls.crt")), new Uri($"https://127.0.0.1:{port}/healthz"), TimeSpan.FromSeconds(90));
            Assert.Contains(
                $"BuildServer warning: https://0.0.0.0:{port} listens on every interface: anyone who can reach this machine can connect. If that is intended, pass --AllowNonLoopback true; otherwise listen on loopback only, e.g. --urls https://127.0.0.1:{port}.",
                process.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(process.Output);
        }
    }

    private static (int Status, string? Challenge) Refusal(HttpAnswer answer) => (answer.Status, answer.Challenge);

    private static JsonNode Header(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!;

    private static JsonNode Payload(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;

    /// <summary>What a verifier in another process does with only the token and the issuer's URL.</summary>
    private static async Task<TokenValidationResult> VerifyStatelesslyAsync(RunningBuildServer server, string token)
    {
        using var http = server.Client();
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(
            server.Issuer + "/.well-known/openid-configuration", new HttpDocumentRetriever(http) { RequireHttps = true }, CancellationToken.None);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = server.Issuer,
            ValidAudience = "artifacts",
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(60),
        });
    }

    private static async Task<string> RequestTokenAsync(RunningBuildServer server, string body)
    {
        var answer = await server.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/ci/serviceaccounts/builder/token", server.AdminToken, body);
        Assert.True(answer.Status == 201, $"TokenRequest answered {answer}");
        return answer.Json["status"]!["token"]!.GetValue<string>();
    }

    private static async Task<(int Status, JsonNode Body)> ReviewAsync(RunningBuildServer server, string token)
    {
        var answer = await server.SendJsonAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews", server.AdminToken,
            $$$"""{"spec":{"token":"{{{token}}}","audiences":["artifacts"]}}""");
        return (answer.Status, answer.Json);
    }

    private static async Task<string> KeyIdsAsync(RunningBuildServer server)
    {
        var jwks = (await server.SendAsync(HttpMethod.Get, "/openid/v1/jwks", null)).Json;
        var ids = jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(ids);
        return string.Join(",", ids);
    }
}
