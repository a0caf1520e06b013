using Microsoft.Extensions.Primitives;
using TokenAuthority.Samples.Authority.Security;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>Which handler reads a bearer token: JWS-shaped tokens the service-account scheme, everything else the admin-token scheme.</summary>
public sealed class BearerSchemeSelectorTests
{
    [Theory]
    [InlineData("Bearer eyJh.eyJp.c2ln", true)]
    [InlineData("bearer a.b.c", true)]
    [InlineData("Bearer  a.b.c ", true)]
    [InlineData("Bearer a.b.c.d.e", false)] // JWE compact form: not a token this authority issues
    [InlineData("Bearer a.b", false)]
    [InlineData("Bearer x3kLQ9dGQ0rQ2m8uYkE0w6qj3W5R8m1oT2pV9sYbN4c", false)] // the shape of admin.token and reviewer.token
    [InlineData("Basic a.b.c", false)]
    [InlineData("Bearer", false)]
    [InlineData("", false)]
    public void Selects_by_the_shape_of_one_bearer_token(string header, bool serviceAccount) =>
        Assert.Equal(serviceAccount, BearerSchemeSelector.IsCompactJws(new StringValues(header)));

    [Fact]
    public void Several_Authorization_headers_go_to_the_admin_scheme_which_refuses_them()
    {
        Assert.False(BearerSchemeSelector.IsCompactJws(new StringValues(["Bearer a.b.c", "Bearer a.b.c"])));
        Assert.False(BearerSchemeSelector.IsCompactJws(StringValues.Empty));
    }
}
