using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TokenAuthority.Samples.Tests.TestSupport;
using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.Observability;

/// <summary>
/// The Authority and OrdersApi as real processes, driven with good and bad requests (a wrong admin token, tampered,
/// foreign and expired tokens, TokenRequest, TokenReview, the objects API, the Authority down): no line of their output
/// and no response contains an issued token or its signature, the admin or reviewer token, or any piece of a private key;
/// and each refused request is one line.
/// </summary>
public sealed class NoSecretsInOutputTests(ITestOutputHelper output)
{
    private const string TokenPath = "/api/v1/namespaces/default/serviceaccounts/default/token";

    private readonly List<(string Source, string Text)> _responses = [];

    [Fact]
    public async Task Neither_output_nor_responses_contain_tokens_or_key_material()
    {
        using var samples = new RunningSamples(output);
        await samples.StartAuthorityAsync();
        await samples.StartOrdersApiAsync();
        var authority = samples.AuthorityUrl;

        // A wrong admin token, then the real one.
        using (var wrong = samples.AnonymousAuthorityClient("wrong-admin-token-0123456789"))
        {
            Assert.Equal(401, await SendAsync("wrong admin token", wrong, HttpMethod.Post, new Uri(authority, TokenPath), "{}"));
        }

        using var admin = samples.AdminClient();
        var ordersToken = await IssueAsync(admin, new Uri(authority, TokenPath), """{"spec":{"audiences":["orders"]}}""");
        var apiToken = await IssueAsync(admin, new Uri(authority, TokenPath), """{"spec":{}}""");
        var expired = Expire(ordersToken, SigningKeyPem(samples, ordersToken));
        var tampered = Tamper(ordersToken);

        // TokenReview as the reviewer: a good token and a bad one.
        using (var reviewer = samples.ReviewerClient())
        {
            var review = new Uri(authority, "/apis/authentication.k8s.io/v1/tokenreviews");
            // A TokenReview answer repeats its spec, token included, as kube-apiserver's does: only that echo is allowed.
            await SendAsync("review good", reviewer, HttpMethod.Post, review, Review(ordersToken), echoed: ordersToken);
            await SendAsync("review tampered", reviewer, HttpMethod.Post, review, Review(tampered), echoed: tampered);
            await SendAsync("review expired", reviewer, HttpMethod.Post, review, Review(expired), echoed: expired);
        }

        // The objects API with service-account tokens: forbidden, tampered, expired, not a token.
        foreach (var (name, token) in new[] { ("api token", apiToken), ("tampered", Tamper(apiToken)), ("expired", Expire(apiToken, SigningKeyPem(samples, apiToken))), ("garbage", "a.b.c") })
        {
            using var client = samples.AnonymousAuthorityClient(token);
            await SendAsync("objects " + name, client, HttpMethod.Get, new Uri(authority, "/api/v1/namespaces/kube-system/pods"));
            await SendAsync("token request " + name, client, HttpMethod.Post, new Uri(authority, TokenPath), "{}");
        }

        await SendAsync("metrics", admin, HttpMethod.Get, new Uri(authority, "/metrics"));

        // OrdersApi: stateless and TokenReview paths with good and bad tokens.
        foreach (var (name, token) in new[] { ("good", ordersToken), ("tampered", tampered), ("expired", expired), ("api audience", apiToken) })
        {
            using var client = samples.OrdersClient(token);
            await SendAsync("orders " + name, client, HttpMethod.Get, new Uri(samples.OrdersUrl, "/orders"));
            await SendAsync("orders/bound " + name, client, HttpMethod.Get, new Uri(samples.OrdersUrl, "/orders/bound"));
        }

        // The Authority down: OrdersApi's TokenReview path refuses, in one Warning line without a stack.
        samples.Authority!.Kill();
        using (var client = samples.OrdersClient(ordersToken))
        {
            Assert.Equal(401, await SendAsync("orders/bound, authority down", client, HttpMethod.Get, new Uri(samples.OrdersUrl, "/orders/bound")));
        }

        await Task.Delay(500); // the last lines reach the captured output
        var scanner = new SecretScanner()
            .AddSecret("admin token", samples.AdminToken)
            .AddSecret("reviewer token", samples.ReviewerToken)
            .AddToken("orders token", ordersToken)
            .AddToken("API token", apiToken)
            .AddToken("expired token", expired)
            .AddToken("tampered token", tampered)
            .AddPrivateKeyPem("tls.key", File.ReadAllText(samples.Data.Combine("tls.key")));
        // Every key of the ring: the active one, its prepared successor.
        var ringKeys = Directory.GetFiles(samples.Data.Combine("keys"), "*.key");
        Assert.NotEmpty(ringKeys);
        foreach (var file in ringKeys)
        {
            scanner.AddPrivateKeyPem("keys/" + Path.GetFileName(file), File.ReadAllText(file));
        }

        var authorityOutput = samples.Authority.Output;
        var ordersOutput = samples.OrdersApi!.Output;
        var findings = scanner.Find("Authority output", authorityOutput)
            .Concat(scanner.Find("OrdersApi output", ordersOutput))
            .Concat(_responses.SelectMany(r => scanner.Find(r.Source, r.Text)))
            .ToArray();
        Assert.True(findings.Length == 0, "secrets found: " + string.Join("; ", findings));

        // One line per refused request, none of ASP.NET Core's per-request chatter, no stack.
        var adminRefusals = Lines(authorityOutput).Where(l => l.Contains($"Refused the bearer token of POST {TokenPath} from 127.0.0.1 (scheme AdminToken)", StringComparison.Ordinal));
        Assert.Single(adminRefusals);
        Assert.DoesNotContain("was not authenticated", authorityOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("was challenged", authorityOutput, StringComparison.Ordinal);
        Assert.Contains(Lines(authorityOutput), l => l.Contains("(expired, credential-id JTI=", StringComparison.Ordinal));
        Assert.Contains(Lines(ordersOutput), l => l.Contains("Refused the bearer token of GET /orders from 127.0.0.1 (scheme Bearer): SecurityTokenExpiredException: ", StringComparison.Ordinal));
        Assert.DoesNotContain("was not authenticated", ordersOutput, StringComparison.Ordinal);
        var down = Assert.Single(Lines(ordersOutput), l => l.Contains("Refused the bearer token of GET /orders/bound from 127.0.0.1 (scheme TokenReview) because it could not be verified", StringComparison.Ordinal));
        Assert.StartsWith("warn: ", down, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException: Connection refused", down, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ordersOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", authorityOutput, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n');

    private static string Review(string token) =>
        new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray("orders") },
        }.ToJsonString();

    /// <summary>The token with its signature changed in its first character (still canonical base64url).</summary>
    private static string Tamper(string token)
    {
        var dot = token.LastIndexOf('.') + 1;
        return token[..dot] + (token[dot] == 'A' ? 'B' : 'A') + token[(dot + 1)..];
    }

    /// <summary>The token's claims, two hours in the past, signed again with the Authority's own key: genuine, but expired.</summary>
    private static string Expire(string token, string signingKeyPem)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlDecode(parts[1]))!.AsObject();
        var past = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        payload["iat"] = past;
        payload["nbf"] = past;
        payload["exp"] = past + 600;
        payload["jti"] = Guid.NewGuid().ToString();
        var input = parts[0] + "." + Base64UrlEncode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(signingKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncode(signature);
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private async Task<string> IssueAsync(HttpClient admin, Uri uri, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(uri, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"TokenRequest answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["status"]!["token"]!.GetValue<string>();
    }

    private async Task<int> SendAsync(string name, HttpClient client, HttpMethod method, Uri uri, string? json = null, string? echoed = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (echoed is not null)
        {
            var echo = $"\"spec\":{{\"token\":\"{echoed}\"";
            Assert.Contains(echo, body, StringComparison.Ordinal);
            body = body.Replace(echo, "\"spec\":{\"token\":\"(the reviewed token)\"", StringComparison.Ordinal);
        }

        var text = response.Headers + "\n" + response.Content.Headers + "\n" + body;
        _responses.Add((name, text));
        return (int)response.StatusCode;
    }

    /// <summary>The PEM of the ring key that signed <paramref name="token"/>: <c>keys/KID.key</c> in the data directory.</summary>
    private static string SigningKeyPem(RunningSamples samples, string token)
    {
        var header = System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]))!;
        return File.ReadAllText(samples.Data.Combine(Path.Combine("keys", header["kid"]!.GetValue<string>() + ".key")));
    }
}
