using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.DependencyInjection;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Binding;

/// <summary>
/// Misses of one key while its lookup runs share that lookup (an entry expiring under load costs one resolver call),
/// but never across an invalidation, never a finished lookup, and one caller going away does not fail the others.
/// </summary>
public sealed class BoundObjectCacheCoalescingTests : IDisposable
{
    private static readonly BoundObjectKey Pod = new(BoundObjectKinds.Pod, "default", "web-0");
    private readonly GatedResolver _resolver = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;

    public BoundObjectCacheCoalescingTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddTokenAuthority(o => o.Issuer = TestAuthority.Issuer);
        services.AddSingleton<IBoundObjectResolver>(_resolver);
        _services = services.BuildServiceProvider();
        Cache = _services.GetRequiredService<BoundObjectCache>();
    }

    private BoundObjectCache Cache { get; }

    [Fact]
    public async Task Concurrent_misses_of_one_key_make_one_resolver_call_and_all_get_its_answer()
    {
        var lookups = Enumerable.Range(0, 16).Select(_ => Cache.LookupAsync(Pod, CancellationToken.None).AsTask()).ToArray();
        _resolver.Release(PodWithUid("pod-uid-1"));

        var results = await Task.WhenAll(lookups);

        Assert.Equal(1, _resolver.Calls);
        Assert.All(results, r => Assert.Equal("pod-uid-1", r.Object?.Uid));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_miss_after_an_invalidation_does_not_join_the_lookup_that_began_before_it(bool all)
    {
        var before = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();
        if (all)
        {
            Cache.InvalidateAll();
        }
        else
        {
            Cache.Invalidate(Pod); // the pod was deleted while the first lookup ran
        }

        var after = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();
        Assert.Equal(2, _resolver.Calls);

        _resolver.Release(PodWithUid("pod-uid-1"), call: 1); // the first lookup read the pod before the delete
        _resolver.Release(null, call: 2);                          // the second reads after it

        Assert.Equal("pod-uid-1", (await before).Object?.Uid);
        Assert.Null((await after).Object);
        // And what the first lookup read is not served afterwards.
        var third = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();
        _resolver.Release(null, call: 3);
        Assert.Null((await third).Object);
    }

    [Fact]
    public async Task A_caller_that_goes_away_stops_waiting_alone_and_the_shared_lookup_still_answers_the_others()
    {
        using var leaving = new CancellationTokenSource();
        var first = Cache.LookupAsync(Pod, leaving.Token).AsTask();
        var second = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(second.IsCompleted);

        _resolver.Release(PodWithUid("pod-uid-1"));
        Assert.Equal("pod-uid-1", (await second).Object?.Uid);
        Assert.Equal(1, _resolver.Calls);
    }

    [Fact]
    public async Task A_finished_lookup_is_never_joined_so_the_time_to_live_still_bounds_an_answer()
    {
        var first = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();
        _resolver.Release(PodWithUid("pod-uid-1"));
        Assert.Equal("pod-uid-1", (await first).Object?.Uid);

        _clock.Advance(TimeSpan.FromSeconds(10)); // the entry's TTL is over
        var second = Cache.LookupAsync(Pod, CancellationToken.None).AsTask();
        Assert.Equal(2, _resolver.Calls);
        _resolver.Release(PodWithUid("pod-uid-2"), call: 2); // recreated meanwhile, without a signal
        Assert.Equal("pod-uid-2", (await second).Object?.Uid);
    }

    public void Dispose() => _services.Dispose();

    private static BoundObject PodWithUid(string uid) => new() { Kind = BoundObjectKinds.Pod, Namespace = "default", Name = "web-0", Uid = uid };

    /// <summary>A resolver whose every call waits until the test releases it with an answer.</summary>
    private sealed class GatedResolver : IBoundObjectResolver
    {
        private readonly List<TaskCompletionSource<BoundObject?>> _calls = [];

        public int Calls
        {
            get
            {
                lock (_calls)
                {
                    return _calls.Count;
                }
            }
        }

        public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
        {
            var call = new TaskCompletionSource<BoundObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_calls)
            {
                _calls.Add(call);
            }

            return new ValueTask<BoundObject?>(call.Task);
        }

        /// <summary>Answers call number <paramref name="call"/> (1-based; the last one by default).</summary>
        public void Release(BoundObject? answer, int call = 0)
        {
            lock (_calls)
            {
                _calls[call == 0 ? _calls.Count - 1 : call - 1].SetResult(answer);
            }
        }
    }
}
