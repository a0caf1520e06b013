namespace TokenAuthority.DependencyInjection;

/// <summary>
/// Carries no settings: validating it on start (<see cref="TokenKeySetStartupValidator"/>) loads the key set
/// before the host serves anything. A type of its own, because loading the keys reads
/// <see cref="TokenAuthorityOptions"/>, whose own validation cannot wait on it.
/// </summary>
internal sealed class TokenKeySetStartupCheck;
