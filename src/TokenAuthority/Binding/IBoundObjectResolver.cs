namespace TokenAuthority.Binding;

/// <summary>
/// Answers whether an object (a service account, or an object a token is bound to) exists, with which
/// uid, whether it is being deleted and, for a pod, which service account and node it has.
/// Implemented by the host; TokenAuthority calls it when issuing and on every verification.
/// </summary>
/// <remarks>
/// Return <see langword="null"/> for an object that does not exist. Throw only when the answer is unknown
/// (the store is down): issuing then fails with 500 and verification fails closed.
/// </remarks>
public interface IBoundObjectResolver
{
    /// <summary>Looks an object up.</summary>
    /// <param name="key">Kind, namespace and name.</param>
    /// <param name="cancellationToken">Cancelled when the caller gives up or the resolver timeout passes.</param>
    /// <returns>The object, or <see langword="null"/> when it does not exist.</returns>
    ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken);
}
