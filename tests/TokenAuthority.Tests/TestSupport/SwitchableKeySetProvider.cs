using TokenAuthority.Keys;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>A key set provider whose set a test replaces (a rotation, a key withdrawn).</summary>
internal sealed class SwitchableKeySetProvider(TokenKeySet initial) : ITokenKeySetProvider
{
    private TokenKeySet _current = initial;

    public TokenKeySet Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
