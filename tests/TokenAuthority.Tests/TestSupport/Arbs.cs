using FsCheck;
using FsCheck.Fluent;
using TokenAuthority.Binding;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>FsCheck generators of domain values: DNS-1123 names, GUID uids, audience sets, bindings, scenarios.</summary>
public static class Arbs
{
    private const string LabelChars = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, 1 to 20 characters.</summary>
    public static Gen<string> DnsLabel() =>
        from first in Gen.Elements(LabelChars.ToCharArray())
        from middle in Gen.Elements((LabelChars + "-").ToCharArray()).ArrayOf()
        from last in Gen.Elements(LabelChars.ToCharArray())
        let body = new string(middle.Take(17).ToArray())
        from single in Gen.Elements(true, false)
        select single ? first.ToString() : first + body + last;

    /// <summary>A lower-case GUID string, as Kubernetes uids are.</summary>
    public static Gen<string> Uid() =>
        Gen.Choose(0, 255).ArrayOf(16).Select(b => new Guid(b.Select(x => (byte)x).ToArray()).ToString());

    /// <summary>An audience: a URL or a plain word, as audiences in the wild are.</summary>
    public static Gen<string> Audience() =>
        from label in DnsLabel()
        from url in Gen.Elements(true, false)
        select url ? $"https://{label}.example.com" : label;

    public static Gen<BindingCase> BindingCase() =>
        from kind in Gen.Elements<string?>(null, BoundObjectKinds.Pod, BoundObjectKinds.Pod, BoundObjectKinds.Secret, BoundObjectKinds.Node)
        from name in DnsLabel()
        from uid in Uid()
        from onNode in Gen.Elements(true, false)
        from nodeName in DnsLabel()
        from nodeUid in Uid()
        select kind is null
            ? TestSupport.BindingCase.None
            : kind == BoundObjectKinds.Pod && onNode
                ? new BindingCase(kind, name, uid, "node-" + nodeName, nodeUid)
                : new BindingCase(kind, name, uid, null, null);

    /// <summary>One character of a token replaced by another (always a different one).</summary>
    public static Arbitrary<TokenMutation> TokenMutation() =>
        (from position in Gen.Choose(0, int.MaxValue)
         from replacement in Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ !{".ToCharArray())
         select new TokenMutation(position, replacement)).ToArbitrary();

    public static Arbitrary<TokenScenario> TokenScenario() =>
        (from ns in DnsLabel()
         from sa in DnsLabel()
         from saUid in Uid()
         from size in Gen.Choose(2, 6)
         from pool in Audience().ArrayOf(size).Select(l => l.Distinct(StringComparer.Ordinal).ToArray()).Where(a => a.Length >= 2)
         from split in Gen.Choose(1, pool.Length - 1)
         let audiences = pool[..split]
         let outsiders = pool[split..]
         from picked in Gen.SubListOf(pool)
         from requested in Gen.Shuffle(picked.ToArray())
         from binding in BindingCase()
         from lifetime in Gen.Choose(600, 3 * 86400)
         select new TokenScenario(ns, sa, saUid, audiences, outsiders, requested, binding, lifetime)).ToArbitrary();
}
