using System.Collections.Concurrent;

namespace TokenAuthority.Binding;

/// <summary>
/// A thread-safe in-memory <see cref="IBoundObjectResolver"/> for tests and quick starts. Objects added
/// get a random uid unless one is given; <see cref="Remove"/> makes every token bound to the object fail.
/// </summary>
/// <remarks>
/// Registered with <c>AddInMemoryBoundObjects</c>, the store tells the resolver cache of every change itself, so a
/// removed object's tokens are refused on the very next verification.
/// </remarks>
public sealed class InMemoryBoundObjectResolver : IBoundObjectResolver
{
    private readonly ConcurrentDictionary<BoundObjectKey, BoundObject> _objects = new();

    /// <summary>Raised after an object is added, replaced, removed or marked deleted.</summary>
    internal event Action<BoundObjectKey>? Changed;

    /// <inheritdoc />
    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_objects.TryGetValue(key, out var value) ? value : null);

    /// <summary>Adds or replaces an object.</summary>
    public BoundObject Set(BoundObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _objects[value.Key] = value;
        Changed?.Invoke(value.Key);
        return value;
    }

    /// <summary>Adds or replaces a service account.</summary>
    public BoundObject AddServiceAccount(string @namespace, string name, string? uid = null) =>
        Set(new BoundObject { Kind = BoundObjectKinds.ServiceAccount, Namespace = @namespace, Name = name, Uid = uid ?? NewUid() });

    /// <summary>Adds or replaces a pod running as <paramref name="serviceAccountName"/>, optionally on a node.</summary>
    public BoundObject AddPod(string @namespace, string name, string serviceAccountName = "default", string? nodeName = null, string? uid = null) =>
        Set(new BoundObject
        {
            Kind = BoundObjectKinds.Pod,
            Namespace = @namespace,
            Name = name,
            Uid = uid ?? NewUid(),
            ServiceAccountName = serviceAccountName,
            NodeName = nodeName,
        });

    /// <summary>Adds or replaces a secret.</summary>
    public BoundObject AddSecret(string @namespace, string name, string? uid = null) =>
        Set(new BoundObject { Kind = BoundObjectKinds.Secret, Namespace = @namespace, Name = name, Uid = uid ?? NewUid() });

    /// <summary>Adds or replaces a (cluster-scoped) node.</summary>
    public BoundObject AddNode(string name, string? uid = null) =>
        Set(new BoundObject { Kind = BoundObjectKinds.Node, Name = name, Uid = uid ?? NewUid() });

    /// <summary>Removes an object; returns whether it existed.</summary>
    public bool Remove(BoundObjectKey key)
    {
        var removed = _objects.TryRemove(key, out _);
        Changed?.Invoke(key);
        return removed;
    }

    /// <summary>Marks an object as being deleted at <paramref name="when"/> without removing it.</summary>
    public bool MarkDeleted(BoundObjectKey key, DateTimeOffset when)
    {
        while (_objects.TryGetValue(key, out var current))
        {
            if (_objects.TryUpdate(key, current with { DeletionTimestamp = when }, current))
            {
                Changed?.Invoke(key);
                return true;
            }
        }

        return false;
    }

    private static string NewUid() => Guid.NewGuid().ToString();
}
