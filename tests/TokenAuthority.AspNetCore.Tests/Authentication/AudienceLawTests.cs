using System.Net;
using FsCheck;
using FsCheck.Fluent;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// Law: a token issued for audiences A passes an endpoint that accepts audiences B exactly when A and B
/// intersect, and the principal carries the intersection, in the order of B.
/// </summary>
public sealed class AudienceLawTests
{
    private static readonly string[] Accepted = ["orders", "billing"];

    private static readonly string[] Universe = ["orders", "billing", "shipping", "https://issuer.example.com"];

    [Fact]
    public async Task Token_passes_iff_its_audiences_meet_the_accepted_ones()
    {
        await using var app = await ProtectedApp.StartAsync(o => o.Audiences.Add("billing"));
        var audienceSets = Gen.SubListOf(Universe).Where(l => l.Count > 0).Select(l => l.ToArray());

        Prop.ForAll(audienceSets.ToArbitrary(), audiences =>
        {
            var token = app.IssueAsync(audiences).GetAwaiter().GetResult();
            using var response = app.GetAsync("/orders", token).GetAwaiter().GetResult();
            var expected = Accepted.Where(audiences.Contains).ToArray();
            if (expected.Length == 0)
            {
                return response.StatusCode == HttpStatusCode.Unauthorized
                    && response.WwwAuthenticate()!.Contains("is invalid for the target audiences", StringComparison.Ordinal);
            }

            var caller = response.CallerAsync().GetAwaiter().GetResult();
            return caller.Claims[TokenAuthorityClaimTypes.Audience].SequenceEqual(expected);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public async Task Token_of_another_authority_is_not_recognised()
    {
        await using var other = await AuthorityServer.StartAsync();
        await using var app = await ProtectedApp.StartAsync();
        var foreign = await other.IssueAsync(["orders"]);

        using var response = await app.GetAsync("/orders", foreign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"invalid bearer token\"", response.WwwAuthenticate());
    }
}
