namespace TokenAuthority.Binding;

/// <summary>Found, not found, or unknown (the resolver failed).</summary>
internal readonly record struct BoundObjectLookupResult(BoundObject? Object, bool Failed)
{
    public static BoundObjectLookupResult NotFound => new(null, false);

    public static BoundObjectLookupResult Unavailable => new(null, true);
}
