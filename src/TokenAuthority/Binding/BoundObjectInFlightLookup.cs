namespace TokenAuthority.Binding;

/// <summary>
/// A resolver lookup under way, shared by every miss of the same key that arrives while it runs, and the generations
/// in force when it began: a miss that comes after an invalidation must not join it (it may read what was since deleted).
/// </summary>
internal sealed record BoundObjectInFlightLookup(long Generation, long Epoch, Task<BoundObjectLookupResult> Result);
