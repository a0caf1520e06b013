namespace TokenAuthority.Binding;

/// <summary>
/// The resolver cache in front of <see cref="IBoundObjectResolver"/> on the verification path: a found object is
/// remembered for at most <see cref="TimeToLive"/>, or until the host calls
/// <see cref="IBoundObjectCacheInvalidator.Invalidate"/> for it. "Not found", failures and timeouts are never cached.
/// Issuing always asks the resolver.
/// </summary>
/// <remarks>
/// The revocation window: a host that calls the invalidator when it deletes or recreates an object gets none (the
/// very next verification asks the resolver); one that cannot signal gets at most <see cref="TimeToLive"/>.
/// </remarks>
public sealed class BoundObjectCacheOptions
{
    /// <summary>Whether found objects are remembered. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a found object is trusted without asking again (default 10 s, the window kube-apiserver's own
    /// token cache allows): the longest a deleted object's tokens keep working when the host does not call the invalidator.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most objects remembered (default 10,000).</summary>
    public int MaxEntries { get; set; } = 10_000;
}
