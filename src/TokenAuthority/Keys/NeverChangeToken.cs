using Microsoft.Extensions.Primitives;

namespace TokenAuthority.Keys;

/// <summary>A change token that never fires, for key sets that never change (FileProviders' NullChangeToken, without that package).</summary>
internal sealed class NeverChangeToken : IChangeToken
{
    public static readonly NeverChangeToken Singleton = new();

    private NeverChangeToken()
    {
    }

    public bool HasChanged => false;

    public bool ActiveChangeCallbacks => false;

    public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => EmptyDisposable.Instance;

    private sealed class EmptyDisposable : IDisposable
    {
        public static readonly EmptyDisposable Instance = new();

        public void Dispose()
        {
        }
    }
}
