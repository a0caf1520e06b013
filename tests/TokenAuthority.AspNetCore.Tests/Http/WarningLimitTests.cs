using System.Net;
using System.Text;
using TokenAuthority.Server.Http;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>Field-validation warnings are bounded like kube-apiserver's (4096 runes in all, 256 each once over).</summary>
public sealed class WarningLimitTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    [Fact]
    public async Task ABodyWithThousandsOfUnknownFieldsGetsABoundedSetOfWarnings()
    {
        var body = new StringBuilder("{");
        for (var i = 0; i < 20_000; i++)
        {
            body.Append("\"f").Append(i).Append("\":0,");
        }

        body.Append("\"spec\":{}}");
        using var client = fixture.Server.CreateClient();

        using var response = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", body.ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warnings = response.Headers.GetValues("Warning").ToArray();
        Assert.Equal("299 - \"unknown field \\\"f0\\\"\"", warnings[0]);
        Assert.InRange(warnings.Sum(w => w.Length), 4096, 4096 + 256 + (warnings.Length * 12));
    }

    [Fact]
    public void WarningsAreDeduplicatedAndCutOnlyOnceOverTheTotal()
    {
        Assert.Equal(["a", "b"], KubernetesResponseWriter.LimitWarnings(["a", "b", "a", string.Empty]));

        var long300 = new string('x', 300);
        var few = Enumerable.Range(0, 10).Select(i => i + long300).ToArray();
        Assert.Equal(few, KubernetesResponseWriter.LimitWarnings(few));

        var many = Enumerable.Range(0, 100).Select(i => i + long300).ToArray();
        var limited = KubernetesResponseWriter.LimitWarnings(many);
        Assert.All(limited, w => Assert.Equal(256, w.Length));
        Assert.Equal(many.Take(limited.Count).Select(w => w[..256]), limited);
        Assert.Equal(16, limited.Count); // the 14th passes 4096: all replayed cut to 256 (3584), two more reach 4096, then none
    }
}
