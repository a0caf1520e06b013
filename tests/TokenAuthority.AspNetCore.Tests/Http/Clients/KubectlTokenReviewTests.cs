using System.Text.Json;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Clients;

/// <summary>
/// <c>kubectl create -f tokenreview.yaml</c> with default (strict) validation, which needs the discovery
/// documents and an OpenAPI v2 answer, and <c>kubectl create --raw</c> (chunked, no Content-Type).
/// </summary>
public sealed class KubectlTokenReviewTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private AuthorityServer Server => fixture.Server;

    private async Task<string> IssueAsync(Kubectl kubectl, params string[] flags)
    {
        var result = await kubectl.RunAsync(Kubectl.Pinned("1.33"), ["create", "token", "builder", .. flags]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    private static string WriteTokenReview(Kubectl kubectl, string token, string audience) =>
        kubectl.WriteFile("tokenreview.yaml", $"""
            apiVersion: authentication.k8s.io/v1
            kind: TokenReview
            spec:
              token: {token}
              audiences: [{audience}]
            """);

    [KubectlTheory]
    [InlineData("1.30")]
    [InlineData("1.31")]
    [InlineData("1.32")]
    [InlineData("1.33")]
    public async Task CreateFromYamlWithDefaultValidation(string minor)
    {
        using var kubectl = new Kubectl(Server);
        var token = await IssueAsync(kubectl, "--audience", "api");
        var file = WriteTokenReview(kubectl, token, "api");

        var created = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "-f", file);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("tokenreview.authentication.k8s.io/<unknown> created\n", created.StandardOutput);
        Assert.Equal(string.Empty, created.StandardError);
        // This kubectl's request (the fixture's server is shared by the other versions' runs).
        Assert.Contains(Server.Requests, r => r.Method == "POST" && r.ContentType == "application/json"
            && r.UserAgent.Contains("/v" + minor + ".", StringComparison.Ordinal)
            && r.PathAndQuery.StartsWith("/apis/authentication.k8s.io/v1/tokenreviews?fieldManager=kubectl-create&fieldValidation=Strict", StringComparison.Ordinal));

        var json = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "-f", file, "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var status = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("status");
        Assert.True(status.GetProperty("authenticated").GetBoolean());
        Assert.Equal("system:serviceaccount:default:builder", status.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("system:authenticated", status.GetProperty("user").GetProperty("groups")[2].GetString());

        var dryRun = await kubectl.RunAsync(Kubectl.Pinned(minor), "create", "-f", file, "--dry-run=server");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal("tokenreview.authentication.k8s.io/<unknown> created (server dry run)\n", dryRun.StandardOutput);
    }

    [KubectlFact]
    public async Task RejectedTokenIsReportedInTheStatus()
    {
        using var kubectl = new Kubectl(Server);
        var token = await IssueAsync(kubectl, "--audience", "api");
        var file = WriteTokenReview(kubectl, token, "vault");
        var result = await kubectl.RunAsync(Kubectl.Dispatcher, "create", "-f", file, "-o", "jsonpath={.status.error}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[invalid bearer token, token audiences [\"api\"] is invalid for the target audiences [\"vault\"]]", result.StandardOutput);
    }

    [KubectlFact]
    public async Task EmptyTokenIsTheApiServers400()
    {
        using var kubectl = new Kubectl(Server);
        var file = kubectl.WriteFile("tr-empty.yaml", """
            apiVersion: authentication.k8s.io/v1
            kind: TokenReview
            spec:
              audiences: [api]
            """);
        var result = await kubectl.RunAsync(Kubectl.Pinned("1.33"), "create", "-f", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (BadRequest): error when creating \"" + file + "\": token is required for TokenReview in authentication\n", result.StandardError);
    }

    [KubectlFact]
    public async Task DeniedReviewerSeesTheAuthorizersText()
    {
        using var kubectl = new Kubectl(Server, TestAuthenticationHandler.ViewerToken);
        var file = kubectl.WriteFile("tokenreview.yaml", """
            apiVersion: authentication.k8s.io/v1
            kind: TokenReview
            spec:
              token: x
            """);
        var result = await kubectl.RunAsync(Kubectl.Pinned("1.33"), "create", "-f", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (Forbidden): error when creating \"" + file + "\": tokenreviews.authentication.k8s.io is forbidden: User \"viewer\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope\n", result.StandardError);
    }

    [KubectlFact]
    public async Task CreateRawSendsChunkedJsonWithoutContentType()
    {
        using var kubectl = new Kubectl(Server);
        var token = await IssueAsync(kubectl, "--audience", "api");
        var file = kubectl.WriteFile("tokenreview.json", $$"""
            {
              "apiVersion": "authentication.k8s.io/v1",
              "kind": "TokenReview",
              "spec": { "token": "{{token}}", "audiences": ["api"] }
            }
            """);
        var result = await kubectl.RunAsync(Kubectl.Pinned("1.33"), "create", "--raw", "/apis/authentication.k8s.io/v1/tokenreviews", "-f", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        var review = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("TokenReview", review.GetProperty("kind").GetString());
        Assert.True(review.GetProperty("status").GetProperty("authenticated").GetBoolean());
        Assert.Contains(Server.Requests, r => r.Method == "POST" && r.PathAndQuery.StartsWith("/apis/authentication.k8s.io/v1/tokenreviews", StringComparison.Ordinal) && r.ContentType is null);

        var yaml = kubectl.WriteFile("tokenreview.yaml", "apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: x\n");
        var rejected = await kubectl.RunAsync(Kubectl.Pinned("1.33"), "create", "--raw", "/apis/authentication.k8s.io/v1/tokenreviews", "-f", yaml);
        Assert.Equal(1, rejected.ExitCode);
        Assert.StartsWith("Error from server (BadRequest): TokenReview in version \"v1\" cannot be handled as a TokenReview: invalid JSON", rejected.StandardError, StringComparison.Ordinal);
    }
}
