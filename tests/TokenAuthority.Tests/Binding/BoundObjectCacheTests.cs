using TokenAuthority.Binding;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Binding;

/// <summary>The resolver cache: invalidation wins every race, the TTL bounds what nobody signals, nothing negative is kept.</summary>
public class BoundObjectCacheTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADeleteBetweenTheReadAndTheStoreIsNeverServed(bool all)
    {
        // Rule 3: the lookup reads the pod, then the pod is deleted and invalidated, then the lookup stores what it read.
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        authority.ObjectCache.BeforeStore = key =>
        {
            if (key == CachingAuthority.Pod)
            {
                authority.Resolver.Hidden.Add(key);
                if (all)
                {
                    authority.Invalidator.InvalidateAll();
                }
                else
                {
                    authority.Invalidator.Invalidate(key);
                }
            }
        };

        // The read came before the delete: that answer stands. The next call must not use what was stored.
        Assert.True(authority.Verify(token).Succeeded);
        authority.ObjectCache.BeforeStore = null;

        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
    }

    [Fact]
    public void AFoundObjectIsAskedForOncePerTimeToLive()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);
        var lookups = authority.Resolver.Lookups;

        authority.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(lookups, authority.Resolver.Lookups);

        authority.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(lookups + 2, authority.Resolver.Lookups);
    }

    [Fact]
    public void NotFoundAndFailuresAreAskedAgainEveryTime()
    {
        using var authority = new CachingAuthority();
        var token = authority.IssuePodBound();
        authority.Resolver.Hidden.Add(CachingAuthority.Pod);
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
        var lookups = authority.Resolver.Lookups;
        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
        Assert.Equal(lookups + 1, authority.Resolver.Lookups);

        authority.Resolver.Hidden.Clear();

        // The service account is remembered; the pod, last seen missing, is asked for again.
        Assert.True(authority.Verify(token).Succeeded);
        Assert.Equal(lookups + 2, authority.Resolver.Lookups);

        authority.Resolver.Failing.Add(BoundObjectKinds.ServiceAccount);
        authority.Invalidator.InvalidateAll();
        Assert.Equal(TokenVerificationFailure.ResolverUnavailable, authority.Verify(token).Failure);
        authority.Resolver.Failing.Clear();
        Assert.True(authority.Verify(token).Succeeded);
    }

    [Fact]
    public void TheTimeToLiveIsConfigurable()
    {
        using var authority = new CachingAuthority(b => b.ConfigureBoundObjectCache(o => o.TimeToLive = TimeSpan.FromSeconds(2)));
        var token = authority.IssuePodBound();
        Assert.True(authority.Verify(token).Succeeded);
        authority.Resolver.Hidden.Add(CachingAuthority.Pod);

        authority.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TokenVerificationFailure.BoundObjectInvalidated, authority.Verify(token).Failure);
    }

    [Fact]
    public async Task TheCacheStaysWithinItsEntries()
    {
        using var authority = new CachingAuthority(b => b.ConfigureBoundObjectCache(o => o.MaxEntries = 100));
        for (var i = 0; i < 1000; i++)
        {
            authority.Store.AddSecret("default", "s" + i);
            var found = await authority.ObjectCache.LookupAsync(new BoundObjectKey(BoundObjectKinds.Secret, "default", "s" + i), default);
            Assert.NotNull(found.Object);
            Assert.True(authority.ObjectCache.Count <= 100, $"{authority.ObjectCache.Count} entries");
        }
    }
}
