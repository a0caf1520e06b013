using System.Text.RegularExpressions;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// A new user's first kubectl commands against the Authority's objects API, with real kubectl 1.30/1.31 (JSON bodies) and
/// 1.32/1.33 (Kubernetes protobuf bodies for typed objects): discovery, create, get (the plain-list fallback of
/// <c>kubectl get</c>: NAME and AGE columns), <c>-o yaml</c> and delete.
/// </summary>
public sealed class AuthorityKubectlObjectsTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private RunningSamples Samples => fixture.Samples;

    [KubectlFact]
    public Task Kubectl_1_30_creates_gets_and_deletes_objects_with_JSON_bodies() => CreateGetDeleteAsync("1.30", "application/json");

    [KubectlFact]
    public Task Kubectl_1_31_creates_gets_and_deletes_objects_with_JSON_bodies() => CreateGetDeleteAsync("1.31", "application/json");

    [KubectlFact]
    public Task Kubectl_1_32_creates_gets_and_deletes_objects_with_protobuf_bodies() => CreateGetDeleteAsync("1.32", "application/vnd.kubernetes.protobuf");

    [KubectlFact]
    public Task Kubectl_1_33_creates_gets_and_deletes_objects_with_protobuf_bodies() => CreateGetDeleteAsync("1.33", "application/vnd.kubernetes.protobuf");

    [KubectlFact]
    public async Task Api_resources_lists_the_objects_API_with_short_names_and_verbs()
    {
        using var cache = new TemporaryDirectory();
        var (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(Kubectl.Pinned("1.33"), Args(cache, "api-resources", "--api-group=", "-o", "wide"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(@"^nodes\s+no\s+v1\s+false\s+Node\s+create,delete,get,list\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^pods\s+po\s+v1\s+true\s+Pod\s+create,delete,get,list\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^secrets\s+v1\s+true\s+Secret\s+create,delete,get,list\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^serviceaccounts\s+sa\s+v1\s+true\s+ServiceAccount\s+create,delete,get,list\s*$", RegexOptions.Multiline), stdout);
    }

    [KubectlFact]
    public async Task Nodes_are_cluster_scoped()
    {
        using var cache = new TemporaryDirectory();
        var kubectl = Kubectl.Pinned("1.33");
        var node = Path.Combine(cache.Path, "node.yaml");
        await File.WriteAllTextAsync(node, "apiVersion: v1\nkind: Node\nmetadata:\n  name: kubectl-node-1\n");

        await AssertOutputAsync(kubectl, "node/kubectl-node-1 created\n", Args(cache, "create", "-f", node));
        var (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, Args(cache, "get", "no"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(@"^kubectl-node-1\s+\d+s$", RegexOptions.Multiline), stdout);
        await AssertOutputAsync(kubectl, "node \"kubectl-node-1\" deleted\n", Args(cache, "delete", "node", "kubectl-node-1"));
    }

    [Fact]
    public async Task Namespaces_are_implicit_every_valid_name_exists_for_the_admin_only()
    {
        var (status, body) = await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/team-a");
        Assert.Equal(200, status);
        Assert.Equal("""{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a"}}""", body!.ToJsonString());

        (status, body) = await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/Team_A");
        Assert.Equal((404, "namespaces \"Team_A\" not found"), (status, body!["message"]!.GetValue<string>()));

        using var reviewer = Samples.ReviewerClient();
        using var refused = await reviewer.GetAsync(new Uri(Samples.AuthorityUrl, "/api/v1/namespaces/team-a"));
        Assert.Equal(403, (int)refused.StatusCode);
    }

    private async Task CreateGetDeleteAsync(string minor, string requestContentType)
    {
        using var cache = new TemporaryDirectory();
        var kubectl = Kubectl.Pinned(minor);
        var ns = "kubectl-" + minor.Replace(".", string.Empty, StringComparison.Ordinal);
        string[] In(params string[] arguments) => Args(cache, [.. arguments, "-n", ns]);

        // The README's first commands: a service account, then a secret (its body format shown by -v=8).
        await AssertOutputAsync(kubectl, "serviceaccount/builder created\n", In("create", "serviceaccount", "builder"));
        var (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("create", "secret", "generic", "s1", "--from-literal=password=x", "-v=8"));
        Assert.True(exitCode == 0, stderr);
        Assert.Equal("secret/s1 created\n", stdout);
        Assert.Contains("Content-Type: " + requestContentType + "\n", stderr, StringComparison.Ordinal);

        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "serviceaccounts"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(@"\ANAME\s+AGE\nbuilder\s+\d+s\n\z"), stdout);

        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "secrets"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(@"\ANAME\s+AGE\ns1\s+\d+s\n\z"), stdout);

        // A pod from a file (kubectl sends files as JSON whatever its version).
        var pod = Path.Combine(cache.Path, "pod.yaml");
        await File.WriteAllTextAsync(pod, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\nspec:\n  serviceAccountName: builder\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx\n");
        await AssertOutputAsync(kubectl, "pod/web-0 created\n", In("create", "-f", pod));

        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "pods"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(@"\ANAME\s+AGE\nweb-0\s+\d+s\n\z"), stdout);

        // Selectors are applied, never ignored: the objects carry no labels; only name and namespace are selectable fields.
        await AssertOutputAsync(kubectl, "web-0", In("get", "pods", "--field-selector", "metadata.name=web-0", "-o", "jsonpath={.items[*].metadata.name}"));
        await AssertOutputAsync(kubectl, string.Empty, In("get", "pods", "--field-selector", "metadata.name!=web-0", "-o", "jsonpath={.items[*].metadata.name}"));
        await AssertOutputAsync(kubectl, string.Empty, In("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"));
        await AssertOutputAsync(kubectl, "web-0", In("get", "pods", "-l", "!app", "-o", "jsonpath={.items[*].metadata.name}"));
        (exitCode, _, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "pods", "--field-selector", "spec.nodeName=node-1"));
        Assert.Equal(1, exitCode);
        Assert.Equal("Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.nodeName=node-1\": field label not supported: spec.nodeName\n", stderr);

        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "pod", "web-0", "-o", "yaml"));
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(new Regex(
            @"\AapiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: ""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""\n  name: web-0\n  namespace: " + ns
            + @"\n  uid: [0-9a-f-]{36}\nspec:\n  nodeName: node-1\n  serviceAccountName: builder\n\z"), stdout);

        await AssertOutputAsync(kubectl, "pod \"web-0\" deleted\n", In("delete", "pod", "web-0"));
        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "pods"));
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"No resources found in {ns} namespace.\n", stderr);

        // After a NotFound outside default, kubectl (1.30+) asks for the namespace; the Authority's namespaces are implicit
        // (GET /api/v1/namespaces/{name} answers for every valid name), so kubectl prints the API server's NotFound.
        (exitCode, _, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("get", "pod", "web-0"));
        Assert.Equal(1, exitCode);
        Assert.Equal("Error from server (NotFound): pods \"web-0\" not found\n", stderr);

        // README's commands: a pod from kubectl run, running as the service account kubectl created, and a token bound to it.
        await AssertOutputAsync(kubectl, "pod/web-1 created\n", In("run", "web-1", "--image=nginx", "--overrides={\"spec\":{\"serviceAccountName\":\"builder\"}}"));
        await AssertOutputAsync(kubectl, "builder", In("get", "pod", "web-1", "-o", "jsonpath={.spec.serviceAccountName}"));
        (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, In("create", "token", "builder", "--bound-object-kind", "Pod", "--bound-object-name", "web-1"));
        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith("eyJ", stdout, StringComparison.Ordinal);
    }

    private string[] Args(TemporaryDirectory cache, params string[] arguments) =>
        ["--kubeconfig", Samples.Data.Combine("kubeconfig"), "--cache-dir", cache.Path, .. arguments];

    private static async Task AssertOutputAsync(string kubectl, string expected, string[] arguments)
    {
        var (exitCode, stdout, stderr) = await Kubectl.RunBinaryAsync(kubectl, arguments);
        Assert.True(exitCode == 0, $"kubectl {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        Assert.Equal(expected, stdout);
    }
}
