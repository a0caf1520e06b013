using Microsoft.Extensions.Primitives;

namespace TokenAuthority.Keys;

/// <summary>Supplies the current <see cref="TokenKeySet"/>. Replace it to load keys from a vault or rotate them.</summary>
/// <remarks>
/// <see cref="Current"/> is read once at start-up (with the options' <c>ValidateOnStart</c>): when it throws, the
/// host does not start. Every key has passed <see cref="TokenKey"/>'s checks, whichever provider made it. A provider
/// owns the keys it creates: implement <see cref="IDisposable"/> to dispose them, which the container does
/// with the service provider.
/// </remarks>
public interface ITokenKeySetProvider
{
    /// <summary>The key set in force now. Returns the same instance until the keys change.</summary>
    TokenKeySet Current { get; }

    /// <summary>
    /// A token that fires when <see cref="Current"/> changes (a rotation, a key file edited on disk), so the issuer,
    /// the verifier, the discovery documents and any cache built on the keys react at once. Take a new token after
    /// each change. The default never fires, for providers whose keys never change.
    /// </summary>
    IChangeToken GetChangeToken() => NeverChangeToken.Singleton;
}
