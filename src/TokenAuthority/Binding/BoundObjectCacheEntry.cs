namespace TokenAuthority.Binding;

/// <summary>
/// A found object, when its lookup started (the TTL counts from there), and the generations in force before it
/// started: the entry is valid only while both are unchanged.
/// </summary>
internal sealed record BoundObjectCacheEntry(BoundObject Object, long StartedAt, long Generation, long Epoch);
