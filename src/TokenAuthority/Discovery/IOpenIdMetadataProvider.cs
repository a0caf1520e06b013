namespace TokenAuthority.Discovery;

/// <summary>Supplies the current discovery documents; they are rebuilt only when the key set changes.</summary>
public interface IOpenIdMetadataProvider
{
    /// <summary>The documents for the key set in force now.</summary>
    OpenIdMetadata Current { get; }
}
