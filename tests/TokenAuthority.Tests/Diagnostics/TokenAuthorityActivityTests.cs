using System.Diagnostics;
using TokenAuthority.Diagnostics;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Diagnostics;

/// <summary>Issuing and verification are traced on the <c>TokenAuthority</c> source, with tags that never carry the token.</summary>
public sealed class TokenAuthorityActivityTests
{
    [Fact]
    public void Issue_and_verify_are_traced_with_result_credential_id_and_no_token()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TokenAuthorityActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var authority = new TestAuthority();

        var result = authority.Create(new TokenRequestSpec { Audiences = ["api"] });
        var token = result.Response!.Status.Token;
        authority.Verify(token, "api");
        authority.Verify(token, "other");

        // Other tests on other threads may trace too: only this authority's service account counts.
        Activity[] mine;
        lock (stopped)
        {
            mine = stopped.Where(a => (a.GetTagItem("tokenauthority.credential_id") as string) == result.CredentialId).ToArray();
        }

        Assert.Equal(["TokenAuthority.Issue", "TokenAuthority.Verify", "TokenAuthority.Verify"], mine.Select(a => a.OperationName));
        Assert.Equal("default", mine[0].GetTagItem("k8s.namespace.name"));
        Assert.Equal("builder", mine[0].GetTagItem("tokenauthority.serviceaccount"));
        Assert.Equal(["success", "success", "failure"], mine.Select(a => a.GetTagItem("tokenauthority.result") as string));
        Assert.Equal("invalid_audience", mine[2].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, mine[2].Status);
        var signature = token.Split('.')[2];
        Assert.All(mine.SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString() ?? string.Empty).Append(mine[2].StatusDescription ?? string.Empty),
            value => Assert.DoesNotContain(signature, value, StringComparison.Ordinal));
    }
}
