using TokenAuthority.Binding;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>A careless host's resolver: every object it is asked about exists, under the name it was asked for.</summary>
public sealed class PermissiveResolver : IBoundObjectResolver
{
    public List<BoundObjectKey> Asked { get; } = [];

    public ValueTask<BoundObject?> ResolveAsync(BoundObjectKey key, CancellationToken cancellationToken)
    {
        Asked.Add(key);
        return ValueTask.FromResult<BoundObject?>(new BoundObject
        {
            Kind = key.Kind,
            Namespace = key.Namespace,
            Name = key.Name,
            Uid = "uid-" + key.Name,
            ServiceAccountName = "builder",
        });
    }
}
