using System.Text.Json;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Clients;

/// <summary>
/// <c>kubectl create token</c> against the running authority over https: kubectl 1.30 and 1.31 (JSON bodies) and
/// 1.32 and 1.33 (Kubernetes protobuf bodies), pinned, and the dispatcher choosing by the reported <c>/version</c>.
/// </summary>
public sealed class KubectlCreateTokenTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private const string Conflict = "error: failed to create token: Operation cannot be fulfilled on Pod \"web-0\": the UID in the bound object reference (1234) does not match the UID in record. The object might have been deleted and then recreated\n";
    private const string TooShort = "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n";

    private AuthorityServer Server => fixture.Server;

    public static TheoryData<string, string[], string[], long, string?, string?> Successes()
    {
        var data = new TheoryData<string, string[], string[], long, string?, string?>();
        foreach (var minor in Kubectl.TestedMinors)
        {
            // kubectl version, flags, audiences (empty: the API audiences), lifetime, bound kind, bound name
            data.Add(minor, ["builder", "--audience", "api", "--audience", "vault", "--duration", "10m"], ["api", "vault"], 600, null, null);
            data.Add(minor, ["builder"], [], 3600, null, null);
            data.Add(minor, ["builder", "--duration", "0"], [], 3600, null, null);
            data.Add(minor, ["builder", "-n", "default", "--duration", "48h"], [], 172800, null, null);
            data.Add(minor, ["builder", "--bound-object-kind", "Pod", "--bound-object-name", "web-0"], [], 3600, "Pod", "web-0");
            data.Add(minor, ["builder", "--bound-object-kind", "Pod", "--bound-object-name", "web-0", "--bound-object-uid", "pod-uid-web-0", "--audience", "api"], ["api"], 3600, "Pod", "web-0");
            data.Add(minor, ["builder", "--bound-object-kind", "Secret", "--bound-object-name", "creds", "--bound-object-uid", "secret-uid-creds"], [], 3600, "Secret", "creds");
            data.Add(minor, ["builder", "--bound-object-kind", "Node", "--bound-object-name", "node-1", "--audience", "api", "--duration", "1h"], ["api"], 3600, "Node", "node-1");
        }

        return data;
    }

    [KubectlTheory]
    [MemberData(nameof(Successes))]
    public async Task CreatesTokens(string minor, string[] flags, string[] audiences, long lifetime, string? boundKind, string? boundName)
    {
        using var kubectl = new Kubectl(Server);
        var result = await kubectl.RunAsync(Kubectl.Pinned(minor), ["create", "token", .. flags]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StandardError);
        Assert.DoesNotContain("\n", result.StandardOutput, StringComparison.Ordinal); // only the token, no newline on a pipe

        var expectedAudiences = audiences.Length == 0 ? [Server.Issuer] : audiences;
        var verified = await Server.Verifier.VerifyAsync(result.StandardOutput, expectedAudiences);
        Assert.True(verified.Succeeded, verified.Error);
        Assert.Equal(expectedAudiences, verified.Claims!.Audiences);
        Assert.Equal(lifetime, verified.Claims.Expires - verified.Claims.IssuedAt);
        Assert.Equal(boundKind, verified.Claims.BoundObject?.Kind);
        Assert.Equal(boundName, verified.Claims.BoundObject?.Reference.Name);

        var post = Server.Requests.Last(r => r.Method == "POST" && r.UserAgent.Contains("/v" + minor + ".", StringComparison.Ordinal));
        Assert.Equal(minor is "1.32" or "1.33" ? "application/vnd.kubernetes.protobuf" : "application/json", post.ContentType);
    }

    public static TheoryData<string, string[], string> Failures()
    {
        var data = new TheoryData<string, string[], string>();
        foreach (var minor in Kubectl.TestedMinors)
        {
            data.Add(minor, ["builder", "--duration", "1m"], TooShort);
            data.Add(minor, ["builder", "--duration", "90s"], TooShort.Replace("Invalid value: 60:", "Invalid value: 90:", StringComparison.Ordinal));
            data.Add(minor, ["builder", "--bound-object-kind", "Pod", "--bound-object-name", "web-0", "--bound-object-uid", "1234"], Conflict);
            data.Add(minor, ["missing"], "error: failed to create token: serviceaccounts \"missing\" not found\n");
            data.Add(minor, ["builder", "-n", "elsewhere"], "error: failed to create token: serviceaccounts \"builder\" not found\n");
            data.Add(minor, ["builder", "--bound-object-kind", "Pod", "--bound-object-name", "gone"], "error: failed to create token: pods \"gone\" not found\n");
            data.Add(minor, ["builder", "--bound-object-kind", "Secret", "--bound-object-name", "creds", "--bound-object-uid", "other"],
                "error: failed to create token: Operation cannot be fulfilled on Secret \"creds\": the UID in the bound object reference (other) does not match the UID in record. The object might have been deleted and then recreated\n");
        }

        return data;
    }

    [KubectlTheory]
    [MemberData(nameof(Failures))]
    public async Task PrintsTheServersErrors(string minor, string[] flags, string stderr)
    {
        using var kubectl = new Kubectl(Server);
        var result = await kubectl.RunAsync(Kubectl.Pinned(minor), ["create", "token", .. flags]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Equal(stderr, result.StandardError);
    }

    [KubectlTheory]
    [InlineData("1.31")]
    [InlineData("1.33")]
    public async Task OutputJsonIsTheTokenRequest(string minor)
    {
        using var kubectl = new Kubectl(Server);
        var result = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "token", "builder", "--audience", "api", "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("TokenRequest", json.GetProperty("kind").GetString());
        Assert.Equal("api", json.GetProperty("spec").GetProperty("audiences")[0].GetString());
        Assert.EndsWith("Z", json.GetProperty("status").GetProperty("expirationTimestamp").GetString(), StringComparison.Ordinal);
        Assert.True((await Server.Verifier.VerifyAsync(json.GetProperty("status").GetProperty("token").GetString()!, ["api"])).Succeeded);
    }

    [KubectlTheory]
    [InlineData("1.31")]
    [InlineData("1.33")]
    public async Task DeniedCallersSeeTheAuthorizersText(string minor)
    {
        using var kubectl = new Kubectl(Server, TestAuthenticationHandler.ViewerToken);
        var result = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "token", "builder");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: failed to create token: serviceaccounts \"builder\" is forbidden: User \"viewer\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"default\"\n", result.StandardError);

        using var anonymous = new Kubectl(Server, "unknown-token");
        var unauthorized = await anonymous.RunAsync(Kubectl.Pinned(minor), "create", "token", "builder");
        Assert.Equal(1, unauthorized.ExitCode);
        Assert.Equal("error: failed to create token: Unauthorized\n", unauthorized.StandardError);
    }

    [KubectlTheory]
    [InlineData("1.31")]
    [InlineData("1.33")]
    public async Task CappedExpirationIsPrintedAsAWarning(string minor)
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { MaxExpirationSeconds = 3600 });
        using var kubectl = new Kubectl(server);
        var result = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "token", "builder", "--duration", "2h");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Warning: requested expiration of 7200 seconds shortened to 3600 seconds\n", result.StandardError);
        var verified = await server.Verifier.VerifyAsync(result.StandardOutput);
        Assert.Equal(3600, verified.Claims!.Expires - verified.Claims.IssuedAt);
    }

    [KubectlTheory]
    [InlineData("v1.30.0", "kubectl/v1.30.", "application/json")]
    [InlineData("v1.33.0", "kubectl/v1.33.", "application/vnd.kubernetes.protobuf")]
    public async Task DispatcherPicksKubectlByTheReportedVersion(string version, string userAgent, string contentType)
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions { KubernetesVersion = version });
        using var kubectl = new Kubectl(server);
        var result = await kubectl.RunAsync(Kubectl.Dispatcher, "create", "token", "builder", "--audience", "api", "--bound-object-kind", "Pod", "--bound-object-name", "web-0");
        Assert.True(result.ExitCode == 0, result.ToString());
        var verified = await server.Verifier.VerifyAsync(result.StandardOutput, ["api"]);
        Assert.True(verified.Succeeded, verified.Error);
        Assert.Equal("web-0", verified.Claims!.BoundObject!.Reference.Name);
        Assert.Contains(server.Requests, r => r.PathAndQuery.StartsWith("/version", StringComparison.Ordinal));
        var post = Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.StartsWith(userAgent, post.UserAgent, StringComparison.Ordinal);
        Assert.Equal(contentType, post.ContentType);

        var tooShort = await kubectl.RunAsync(Kubectl.Dispatcher, "create", "token", "builder", "--duration", "1m");
        Assert.Equal(1, tooShort.ExitCode);
        Assert.Equal(TooShort, tooShort.StandardError);
    }
}
