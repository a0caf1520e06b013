namespace TokenAuthority.Binding;

/// <summary>
/// Tells the resolver cache that an object changed. Call it when an object is deleted, recreated or its service
/// account changes: the very next verification of a token bound to it asks the resolver again.
/// </summary>
/// <remarks>
/// Safe to call at any time and from any thread, before or after the change commits; a lookup already running
/// when it is called does not store its (possibly stale) answer.
/// </remarks>
public interface IBoundObjectCacheInvalidator
{
    /// <summary>Forgets the object at <paramref name="key"/>.</summary>
    /// <param name="key">Kind, namespace (null for cluster-scoped kinds) and name.</param>
    void Invalidate(BoundObjectKey key);

    /// <summary>Forgets every object, e.g. after a gap in a change feed.</summary>
    void InvalidateAll();
}
