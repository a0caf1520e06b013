namespace TokenAuthority.Verifying;

/// <summary>
/// Told of every lookup in the verification and resolver caches (hit or miss), e.g. to count them as metrics.
/// Optional: register one as a singleton and the caches report to it.
/// </summary>
internal interface ITokenAuthorityCacheObserver
{
    /// <summary>A lookup in <paramref name="cache"/> (<c>verification</c> or <c>bound_object</c>).</summary>
    void CacheLookup(string cache, bool hit);
}
