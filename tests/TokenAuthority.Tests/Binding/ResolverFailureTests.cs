using TokenAuthority.Binding;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Binding;

/// <summary>A resolver that throws or hangs makes verification fail closed and issuing fail with 500.</summary>
public class ResolverFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static (TestAuthority Authority, FaultyResolver Resolver) NewAuthority()
    {
        FaultyResolver? resolver = null;
        var authority = new TestAuthority(o => o.ResolverTimeout = Timeout, resolver: store => resolver = new FaultyResolver(store));
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        _ = authority.Verifier;
        return (authority, resolver!);
    }

    private static readonly BoundObjectReference PodRef = new() { Kind = "Pod", ApiVersion = "v1", Name = "web-0" };

    private static string IssuePodToken(TestAuthority authority) => authority.Create(new TokenRequestSpec { Audiences = ["api"], BoundObjectRef = PodRef }).Response!.Status.Token;

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount, "serviceaccount", false)]
    [InlineData(BoundObjectKinds.Pod, "pod", false)]
    [InlineData(BoundObjectKinds.ServiceAccount, "serviceaccount", true)]
    [InlineData(BoundObjectKinds.Pod, "pod", true)]
    public void AThrowingResolverFailsVerificationClosed(string kind, string label, bool async)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        (async ? resolver.FaultedAsync : resolver.Throwing).Add(kind);

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationOutcome.Rejected, result.Outcome);
        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, result.Failure);
        // Which lookup failed is the resolver's state: logged, never told to the caller.
        Assert.Equal("service account token could not be validated", result.Error);
        Assert.DoesNotContain(label, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount, "serviceaccount")]
    [InlineData(BoundObjectKinds.Pod, "pod")]
    public async Task AHangingResolverFailsVerificationClosedAfterTheTimeout(string kind, string label)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.Hanging.Add(kind);

        var pending = authority.Verifier.VerifyAsync(token, ["api"]).AsTask();
        authority.Clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        var completedEarly = pending.IsCompleted;
        authority.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await pending;

        Assert.False(completedEarly);
        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, result.Failure);
        // Which lookup failed is the resolver's state: logged, never told to the caller.
        Assert.Equal("service account token could not be validated", result.Error);
        Assert.DoesNotContain(label, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount, "unable to look up service account \"default/builder\"")]
    [InlineData(BoundObjectKinds.Pod, "unable to look up pods \"web-0\"")]
    [InlineData(BoundObjectKinds.Node, "failed to get node \"n1\"")]
    public void AThrowingResolverFailsIssuingWithAnInternalError(string kind, string detail)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.Throwing.Add(kind);

        var error = authority.Create(new TokenRequestSpec { BoundObjectRef = PodRef }).Error!;

        Assert.Equal(500, error.Code);
        Assert.Equal("InternalError", error.Reason);
        Assert.Equal("Internal error occurred: " + detail, error.Message);
        Assert.Equal(detail, Assert.Single(error.Details!.Causes!).Message);
    }

    [Fact]
    public async Task AHangingResolverFailsIssuingAfterTheTimeout()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.Hanging.Add(BoundObjectKinds.Pod);

        var pending = authority.TokenIssuer.CreateTokenAsync("default", "builder", new TokenRequest { Spec = new TokenRequestSpec { BoundObjectRef = PodRef } }).AsTask();
        authority.Clock.Advance(Timeout);
        var error = (await pending).Error!;

        Assert.Equal(500, error.Code);
        Assert.Equal("Internal error occurred: unable to look up pods \"web-0\"", error.Message);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotSwallowed()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.Hanging.Add(BoundObjectKinds.ServiceAccount);
        using var cts = new CancellationTokenSource();

        var pending = authority.Verifier.VerifyAsync(token, ["api"], cts.Token).AsTask();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount)]
    [InlineData(BoundObjectKinds.Pod)]
    public async Task ATimedOutLookupIsCancelledNotLeftRunning(string kind)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.WaitingForCancellation.Add(kind);
        resolver.Tokens.Clear();

        var pending = authority.Verifier.VerifyAsync(token, ["api"]).AsTask();
        var lookupToken = resolver.Tokens[^1];
        var cancelledEarly = lookupToken.IsCancellationRequested;
        authority.Clock.Advance(Timeout);
        var result = await pending;

        Assert.False(cancelledEarly);
        Assert.True(lookupToken.IsCancellationRequested, "the resolver's token must fire at the timeout, so the abandoned lookup stops");
        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, result.Failure);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount)]
    [InlineData(BoundObjectKinds.Pod)]
    public void AResolverThatBlocksPastTheTimeoutIsRefusedAndSeesItsTokenFire(string kind)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.Clock = authority.Clock;
        resolver.BlockFor = Timeout + TimeSpan.FromSeconds(1);
        resolver.Blocking.Add(kind);

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, result.Failure);
        Assert.Equal("service account token could not be validated", result.Error);
        Assert.Equal([true], resolver.BlockedLookupsCancelled);
    }

    [Fact]
    public void AResolverThatBlocksWithinTheTimeoutIsAnswered()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.Clock = authority.Clock;
        resolver.BlockFor = Timeout - TimeSpan.FromMilliseconds(1);
        resolver.Blocking.Add(BoundObjectKinds.Pod);

        var result = authority.Verify(token, "api");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([false], resolver.BlockedLookupsCancelled);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount)]
    [InlineData(BoundObjectKinds.Pod)]
    public void AnEmptyUidFromTheResolverFailsVerificationClosed(string kind)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        var token = IssuePodToken(authority);
        resolver.EmptyUid.Add(kind);

        var result = authority.Verify(token, "api");

        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, result.Failure);
    }

    [Theory]
    [InlineData(BoundObjectKinds.ServiceAccount, "unable to look up service account \"default/builder\"")]
    [InlineData(BoundObjectKinds.Pod, "unable to look up pods \"web-0\"")]
    public void AnEmptyUidFromTheResolverFailsIssuing(string kind, string detail)
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.EmptyUid.Add(kind);

        var error = authority.Create(new TokenRequestSpec { BoundObjectRef = PodRef }).Error!;

        Assert.Equal(500, error.Code);
        Assert.Equal("Internal error occurred: " + detail, error.Message);
    }
}
