using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>Issues tokens through the real core issuer of a service provider.</summary>
public static class Tokens
{
    public static async Task<string> IssueAsync(IServiceProvider services, string[] audiences, BoundObject? boundTo = null, string ns = "default", string serviceAccount = "builder", long seconds = 3600)
    {
        var issuer = services.GetRequiredService<ITokenIssuer>();
        var spec = new TokenRequestSpec
        {
            Audiences = audiences,
            ExpirationSeconds = seconds,
            BoundObjectRef = boundTo is null ? null : new BoundObjectReference
            {
                Kind = boundTo.Kind,
                ApiVersion = "v1",
                Name = boundTo.Name,
                Uid = boundTo.Uid,
            },
        };
        var status = await issuer.IssueAsync(ns, serviceAccount, spec);
        return status.Token;
    }

    /// <summary>Changes one character of the payload's JSON (not its encoding), so the token parses but no longer verifies.</summary>
    public static string TamperPayload(string token)
    {
        var parts = token.Split('.');
        var json = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        var changed = json.Replace("\"builder\"", "\"buildes\"", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        parts[1] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(changed));
        return string.Join('.', parts);
    }

    /// <summary>The same payload with the header replaced (e.g. <c>{"alg":"none"}</c>) and the given signature.</summary>
    public static string WithHeader(string token, string headerJson, string signature)
    {
        var parts = token.Split('.');
        parts[0] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(headerJson));
        parts[2] = signature;
        return string.Join('.', parts);
    }
}
