using TokenAuthority.Binding;
using TokenAuthority.Model;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>What a generated token is bound to: nothing, a pod (on a node or not), a secret or a node.</summary>
public sealed record BindingCase(string? Kind, string Name, string Uid, string? NodeName, string? NodeUid)
{
    public static BindingCase None { get; } = new(null, string.Empty, string.Empty, null, null);

    /// <summary>The key of the bound object; null when unbound.</summary>
    public BoundObjectKey? Key(string @namespace) => Kind switch
    {
        null => null,
        BoundObjectKinds.Node => new BoundObjectKey(Kind, null, Name),
        _ => new BoundObjectKey(Kind, @namespace, Name),
    };

    /// <summary>The reference a request carries (with or without the uid, which is optional).</summary>
    public BoundObjectReference? Reference(bool withUid) => Kind is null
        ? null
        : new BoundObjectReference { Kind = Kind, ApiVersion = "v1", Name = Name, Uid = withUid ? Uid : null };

    /// <summary>Puts the bound object (and a pod's node) in the store.</summary>
    public void AddTo(InMemoryBoundObjectResolver store, string @namespace, string serviceAccount)
    {
        switch (Kind)
        {
            case BoundObjectKinds.Pod:
                if (NodeName is not null)
                {
                    store.AddNode(NodeName, NodeUid);
                }

                store.AddPod(@namespace, Name, serviceAccount, NodeName, Uid);
                break;
            case BoundObjectKinds.Secret:
                store.AddSecret(@namespace, Name, Uid);
                break;
            case BoundObjectKinds.Node:
                store.AddNode(Name, Uid);
                break;
        }
    }

    public override string ToString() => Kind is null ? "unbound" : $"{Kind} {Name} ({Uid}){(NodeName is null ? string.Empty : $" on {NodeName} ({NodeUid})")}";
}
