using TokenAuthority.Binding;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Binding;

/// <summary>
/// The resolver's cancellation token comes from a reused source: one that fired is never handed out again, and one
/// handed back is disarmed, so a later lookup is neither born cancelled nor cancelled by an earlier lookup's timer.
/// </summary>
public class BoundObjectLookupTokenTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly BoundObjectReference PodRef = new() { Kind = "Pod", ApiVersion = "v1", Name = "web-0" };

    private static (TestAuthority Authority, FaultyResolver Resolver) NewAuthority()
    {
        FaultyResolver? resolver = null;
        var authority = new TestAuthority(o => o.ResolverTimeout = Timeout, resolver: store => resolver = new FaultyResolver(store));
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        _ = authority.Verifier;
        return (authority, resolver!);
    }

    [Fact]
    public void ASourceHandedBackIsDisarmedSoItsTimerNeverFiresLater()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;

        Assert.True(authority.Create(new TokenRequestSpec { BoundObjectRef = PodRef }).Succeeded);
        var used = resolver.Tokens.ToArray();
        authority.Clock.Advance(Timeout * 2);

        Assert.Equal(3, used.Length);
        Assert.All(used, t => Assert.False(t.IsCancellationRequested, "a completed lookup's timer must be disarmed"));
        resolver.Tokens.Clear();
        Assert.True(authority.Create(new TokenRequestSpec { BoundObjectRef = PodRef }).Succeeded);
        Assert.All(resolver.Tokens, t => Assert.True(t.CanBeCanceled));
    }

    [Fact]
    public async Task ASourceThatTimedOutIsNeverHandedOutAgain()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.WaitingForCancellation.Add(BoundObjectKinds.Pod);

        var pending = authority.TokenIssuer.CreateTokenAsync("default", "builder", new TokenRequest { Spec = new TokenRequestSpec { BoundObjectRef = PodRef } }).AsTask();
        authority.Clock.Advance(Timeout);
        var refused = await pending;
        var fired = resolver.Tokens[^1];
        resolver.WaitingForCancellation.Clear();
        resolver.Tokens.Clear();
        var issued = authority.Create(new TokenRequestSpec { BoundObjectRef = PodRef });

        Assert.False(refused.Succeeded);
        Assert.True(fired.IsCancellationRequested);
        Assert.True(issued.Succeeded, issued.Error?.Message);
        Assert.All(resolver.Tokens, t => Assert.False(t.IsCancellationRequested));
    }

    [Fact]
    public async Task TheCallersCancellationReachesTheResolverAndItsSourceIsNotReused()
    {
        var (authority, resolver) = NewAuthority();
        using var _ = authority;
        resolver.WaitingForCancellation.Add(BoundObjectKinds.ServiceAccount);
        using var caller = new CancellationTokenSource();

        var pending = authority.TokenIssuer.CreateTokenAsync("default", "builder", new TokenRequest(), caller.Token).AsTask();
        var given = resolver.Tokens[^1];
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(given.IsCancellationRequested);
        resolver.WaitingForCancellation.Clear();
        resolver.Tokens.Clear();
        Assert.True(authority.Create(new TokenRequestSpec()).Succeeded);
        Assert.All(resolver.Tokens, t => Assert.False(t.IsCancellationRequested));
    }
}
