using TokenAuthority.Identity;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Issuing;

public class RoundTripSmokeTests
{
    [Fact]
    public async Task IssuedPodBoundTokenVerifiesAndCarriesTheUser()
    {
        using var authority = new TestAuthority();
        authority.Store.AddNode("node-1", "node-uid");
        var pod = authority.Store.AddPod("default", "web-0", "builder", "node-1", "pod-uid");

        var status = await authority.TokenIssuer.IssueAsync("default", "builder", new TokenRequestSpec
        {
            Audiences = ["api"],
            BoundObjectRef = new BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0" },
        });

        Assert.Equal(new DateTimeOffset(2026, 7, 24, 13, 0, 0, TimeSpan.Zero), status.ExpirationTimestamp);
        var result = await authority.Verifier.VerifyAsync(status.Token, ["api"]);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("system:serviceaccount:default:builder", result.User!.Username);
        Assert.Equal("sa-uid-1", result.User.Uid);
        Assert.Equal(["api"], result.Audiences);
        Assert.Equal(["pod-uid"], result.User.Extra![ServiceAccountUserInfo.PodUidExtra]);
        Assert.Equal(["node-uid"], result.User.Extra![ServiceAccountUserInfo.NodeUidExtra]);

        authority.Store.Remove(pod.Key);
        var after = await authority.Verifier.VerifyAsync(status.Token, ["api"]);
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, after.Failure);
        Assert.Equal("[invalid bearer token, service account token has been invalidated]", after.ReviewError);
    }
}
