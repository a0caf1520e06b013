using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>A fresh authority with a generated scenario's objects in its store and the token it issued.</summary>
internal sealed class IssuedScenario : IDisposable
{
    private IssuedScenario(TokenScenario scenario, TestAuthority authority, string token, DateTimeOffset issuedAt)
    {
        Scenario = scenario;
        Authority = authority;
        Token = token;
        IssuedAt = issuedAt;
    }

    public TokenScenario Scenario { get; }

    public TestAuthority Authority { get; }

    public string Token { get; }

    public DateTimeOffset IssuedAt { get; }

    public DateTimeOffset Expires => IssuedAt.AddSeconds(Scenario.Lifetime);

    public static IssuedScenario Issue(TokenScenario s, bool referenceWithUid = true)
    {
        var authority = new TestAuthority();
        authority.Store.AddServiceAccount(s.Namespace, s.ServiceAccount, s.ServiceAccountUid);
        s.Binding.AddTo(authority.Store, s.Namespace, s.ServiceAccount);
        var issuedAt = authority.Clock.GetUtcNow();
        var status = authority.TokenIssuer.IssueAsync(s.Namespace, s.ServiceAccount, new TokenRequestSpec
        {
            Audiences = s.Audiences,
            ExpirationSeconds = s.Lifetime,
            BoundObjectRef = s.Binding.Reference(referenceWithUid),
        }).AsTask().GetAwaiter().GetResult();
        return new IssuedScenario(s, authority, status.Token, issuedAt);
    }

    public TokenVerificationResult Verify(IReadOnlyList<string>? audiences = null, string? token = null) =>
        Authority.Verifier.VerifyAsync(token ?? Token, audiences ?? Scenario.Audiences).AsTask().GetAwaiter().GetResult();

    public void Dispose() => Authority.Dispose();
}
