using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>A JSON null among the requested audiences is Go's zero value, the empty audience; never a crash (500).</summary>
public class NullAudienceTests
{
    [Fact]
    public void ANullAudienceIsIssuedAsTheEmptyAudience()
    {
        using var authority = new TestAuthority();

        var result = authority.Create(new TokenRequestSpec { Audiences = ["a", null!] });

        Assert.True(result.Succeeded);
        Assert.Equal(["a", string.Empty], result.Response!.Spec.Audiences);
        var aud = TokenForge.Payload(result.Response.Status.Token).GetProperty("aud");
        Assert.Equal(["a", string.Empty], aud.EnumerateArray().Select(a => a.GetString()));
    }
}
