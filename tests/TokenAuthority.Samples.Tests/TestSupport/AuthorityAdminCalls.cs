using System.Text;
using System.Text.Json.Nodes;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>The Authority sample's admin calls that the key-ring process tests share: TokenRequest, TokenReview, the keys view.</summary>
internal static class AuthorityAdminCalls
{
    public const string KeysPath = "/apis/tokenauthority.dev/v1/keys";
    public const string TokenPath = "/api/v1/namespaces/default/serviceaccounts/default/token";
    public const string ReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    /// <summary>A client that trusts the data directory's tls.crt and presents its admin.token.</summary>
    public static HttpClient Admin(TemporaryDirectory data) =>
        TrustingHttpClient.Create(data.Combine("tls.crt"), File.ReadAllText(data.Combine("admin.token")).Trim());

    /// <summary>A token of default/default for the audience <c>orders</c>.</summary>
    public static async Task<string> RequestTokenAsync(HttpClient admin, Uri url)
    {
        using var content = new StringContent("""{"spec":{"audiences":["orders"]}}""", Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri(url, TokenPath), content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True((int)response.StatusCode == 201, body?.ToJsonString());
        return body!["status"]!["token"]!.GetValue<string>();
    }

    /// <summary>Whether TokenReview at <paramref name="url"/> authenticates <paramref name="token"/> for <c>orders</c>.</summary>
    public static async Task<bool> ReviewAsync(HttpClient admin, Uri url, string token)
    {
        using var content = new StringContent($$$"""{"spec":{"token":"{{{token}}}","audiences":["orders"]}}""", Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri(url, ReviewPath), content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return body!["status"]!["authenticated"]?.GetValue<bool>() == true;
    }

    /// <summary>The keys view: kid → state.</summary>
    public static async Task<SortedDictionary<string, string>> ViewAsync(HttpClient admin, Uri url)
    {
        using var response = await admin.GetAsync(new Uri(url, KeysPath));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 200, text);
        var view = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in JsonNode.Parse(text)!["keys"]!.AsArray())
        {
            view.Add(key!["kid"]!.GetValue<string>(), key["state"]!.GetValue<string>());
        }

        return view;
    }

    /// <summary>The <c>kid</c> in a token's header.</summary>
    public static string KeyId(string token) =>
        JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]))!["kid"]!.GetValue<string>();
}
