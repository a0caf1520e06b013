namespace TokenAuthority.Binding;

/// <summary>
/// Answers whether an object (a service account, or an object a token is bound to) exists, with which
/// uid, whether it is being deleted and, for a pod, which service account and node it has.
/// Implemented by the host; TokenAuthority calls it when issuing and on every verification.
/// </summary>
/// <remarks>
/// <para>
/// Return <see langword="null"/> for an object that does not exist. Throw only when the answer is unknown
/// (the store is down): issuing then fails with 500 and verification fails closed. Every object returned must
/// carry its uid: an empty uid would let a deleted-and-recreated object match a token, so it is treated as a
/// failed lookup.
/// </para>
/// <para>
/// The cancellation token fires when <see cref="TokenAuthorityOptions.ResolverTimeout"/> passes, or when the caller
/// gives up on a lookup of its own (a verification's lookup through the resolver cache may be shared by concurrent
/// requests, and is then bounded by the timeout alone). Resolvers must honour it: pass it to every I/O call, and bound any wait the token cannot interrupt (a
/// database's command or lock timeout) by the resolver timeout. A lookup still running at the timeout is abandoned
/// and the token refused; one that blocks the calling thread past it has its answer discarded.
/// </para>
/// <para>
/// The token is valid for this call only: its source is reused by later lookups (no allocation per lookup), so work a
/// resolver leaves running after it returns must not keep the token; it may see a later lookup's timeout.
/// </para>
/// </remarks>
public interface IBoundObjectResolver
{
    /// <summary>Looks an object up.</summary>
    /// <param name="key">Kind, namespace and name.</param>
    /// <param name="cancellationToken">Cancelled when the resolver timeout passes, or the caller of an unshared lookup gives up.</param>
    /// <returns>The object, or <see langword="null"/> when it does not exist.</returns>
    ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken);
}
