using System.Net;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The TokenAuthority scheme on a real Kestrel listening on 127.0.0.1 (free port).</summary>
public sealed class KestrelAuthenticationTests
{
    [Fact]
    public async Task Real_server_accepts_a_valid_token_and_refuses_it_once_the_pod_is_deleted()
    {
        await using var app = await ProtectedApp.StartAsync(kestrel: true);
        Assert.Equal("127.0.0.1", app.Client.BaseAddress!.Host);
        Assert.NotEqual(0, app.Client.BaseAddress.Port);
        var pod = app.Pod;
        var token = await app.IssueAsync(["orders"], pod);

        using (var accepted = await app.GetAsync("/orders", token))
        {
            Assert.Equal("system:serviceaccount:default:builder", (await accepted.CallerAsync()).Name);
        }

        using (var missing = await app.GetAsync("/orders", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("Bearer", missing.WwwAuthenticate());
        }

        app.Store.Remove(pod.Key);
        using var refused = await app.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"service account token has been invalidated\"", refused.WwwAuthenticate());
    }
}
