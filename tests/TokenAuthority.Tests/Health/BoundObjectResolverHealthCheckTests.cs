using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Health;

namespace TokenAuthority.Tests.Health;

public sealed class BoundObjectResolverHealthCheckTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_resolver_that_answers_not_found_is_healthy_and_was_asked_for_the_sentinel()
    {
        var resolver = new AnsweringResolver(null);
        var result = await Check(resolver, new FakeTimeProvider()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(BoundObjectResolverHealthCheck.Sentinel, Assert.Single(resolver.Asked));
    }

    [Fact]
    public async Task A_resolver_that_finds_the_sentinel_answered_too()
    {
        var found = new BoundObject { Kind = "ServiceAccount", Namespace = "tokenauthority-health", Name = "tokenauthority-health-probe", Uid = "u-1" };
        var result = await Check(new AnsweringResolver(found), new FakeTimeProvider()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task A_throwing_resolver_is_unhealthy_without_its_message_in_the_description()
    {
        var result = await Check(new ThrowingResolver(), new FakeTimeProvider()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the bound-object resolver failed (InvalidOperationException)", result.Description);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_resolver_that_does_not_answer_within_the_resolver_timeout_is_unhealthy(bool honoursCancellation)
    {
        var clock = new FakeTimeProvider();
        var resolver = new HangingResolver(honoursCancellation);
        var pending = Check(resolver, clock).CheckHealthAsync(new HealthCheckContext());

        clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the bound-object resolver did not answer within 00:00:05 (TokenAuthority:ResolverTimeout)", result.Description);
        Assert.Equal(honoursCancellation, resolver.Cancelled);
    }

    [Fact]
    public async Task Without_a_resolver_there_is_nothing_to_be_unreachable()
    {
        var check = new BoundObjectResolverHealthCheck(new ServiceCollection().BuildServiceProvider(), Options.Create(new TokenAuthorityOptions()), new FakeTimeProvider());
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    private static BoundObjectResolverHealthCheck Check(IBoundObjectResolver resolver, TimeProvider clock)
    {
        var services = new ServiceCollection().AddSingleton(resolver).BuildServiceProvider();
        return new BoundObjectResolverHealthCheck(services, Options.Create(new TokenAuthorityOptions { ResolverTimeout = Timeout }), clock);
    }

    private sealed class AnsweringResolver(BoundObject? answer) : IBoundObjectResolver
    {
        public List<BoundObjectKey> Asked { get; } = [];

        public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
        {
            Asked.Add(key);
            return ValueTask.FromResult(answer);
        }
    }

    private sealed class ThrowingResolver : IBoundObjectResolver
    {
        public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("connection refused to db.internal:5432 (password=hunter2)");
    }

    private sealed class HangingResolver(bool honoursCancellation) : IBoundObjectResolver
    {
        public bool Cancelled { get; private set; }

        public async ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
        {
            if (!honoursCancellation)
            {
                await new TaskCompletionSource<BoundObject?>(TaskCreationOptions.RunContinuationsAsynchronously).Task;
            }

            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }

            return null;
        }
    }
}
