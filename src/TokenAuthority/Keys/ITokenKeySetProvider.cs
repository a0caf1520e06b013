namespace TokenAuthority.Keys;

/// <summary>Supplies the current <see cref="TokenKeySet"/>. Replace it to load keys from a vault or rotate them.</summary>
public interface ITokenKeySetProvider
{
    /// <summary>The key set in force now. Returns the same instance until the keys change.</summary>
    TokenKeySet Current { get; }
}
