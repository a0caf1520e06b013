namespace TokenAuthority.DependencyInjection;

/// <summary>
/// The change-token subscriptions the registration makes on the key set provider (e.g. the verification cache's
/// <c>Clear</c>); a singleton, so the container ends them when it is disposed.
/// </summary>
internal sealed class KeyChangeSubscriptions : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<IDisposable> _subscriptions = [];
    private bool _disposed;

    /// <summary>Keeps <paramref name="subscription"/> until disposal (disposes it at once when already disposed).</summary>
    public void Add(IDisposable subscription)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _subscriptions.Add(subscription);
                return;
            }
        }

        subscription.Dispose();
    }

    public void Dispose()
    {
        IDisposable[] subscriptions;
        lock (_lock)
        {
            _disposed = true;
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }
}
