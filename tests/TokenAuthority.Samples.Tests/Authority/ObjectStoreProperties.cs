using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Samples.Authority.Bootstrap;
using TokenAuthority.Samples.Authority.Storage;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// Law: for any sequence of creates and deletes, the SQLite store answers exactly as a dictionary keyed by
/// (kind, namespace, name) would, every object ever created has a uid never seen before, and reopening the
/// database changes nothing.
/// </summary>
public sealed class ObjectStoreProperties
{
    /// <summary>One step: create or delete an object of a kind, in a namespace (ignored for nodes), by name.</summary>
    public sealed record StoreOperation(bool Create, string Kind, string Namespace, string Name);

    private static readonly Gen<StoreOperation> Steps =
        from create in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
        from kind in Gen.Elements(BoundObjectKinds.Secret, BoundObjectKinds.Node, BoundObjectKinds.ServiceAccount)
        from ns in Gen.Elements("default", "other")
        from name in Gen.Elements("a", "b", "c")
        select new StoreOperation(create, kind, ns, name);

    [Fact]
    public void The_store_behaves_like_a_dictionary_and_never_reuses_a_uid() =>
        Prop.ForAll(Steps.ArrayOf().ToArbitrary(), (StoreOperation[] steps) => Check(steps).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure(); // QuickCheckThrowOnFailure runs 100 cases

    private static async Task<bool> Check(StoreOperation[] steps)
    {
        using var directory = new TemporaryDirectory();
        var time = new FakeTimeProvider();
        var store = new ObjectStore(new DataDirectory(directory.Path), time);
        await store.InitializeAsync(CancellationToken.None);

        var model = new Dictionary<(string, string?, string), StoredObject>();
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in await store.ListAsync(BoundObjectKinds.ServiceAccount, "default", CancellationToken.None))
        {
            model[(account.Kind, account.Namespace, account.Name)] = account;
            uids.Add(account.Uid);
        }

        try
        {
            foreach (var step in steps)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                var ns = step.Kind == BoundObjectKinds.Node ? null : step.Namespace;
                var key = (step.Kind, ns, step.Name);
                if (step.Create)
                {
                    var result = await store.CreateAsync(step.Kind, ns, step.Name, null, null, CancellationToken.None);
                    if (model.ContainsKey(key))
                    {
                        Assert.Equal(CreateOutcome.AlreadyExists, result.Outcome);
                    }
                    else
                    {
                        Assert.Equal(CreateOutcome.Created, result.Outcome);
                        Assert.True(uids.Add(result.Object!.Uid), "a uid was handed out twice");
                        Assert.Equal(time.GetUtcNow(), result.Object.CreationTimestamp);
                        model[key] = result.Object;
                    }
                }
                else
                {
                    var deleted = await store.DeleteAsync(step.Kind, ns, step.Name, CancellationToken.None);
                    Assert.Equal(model.GetValueOrDefault(key), deleted);
                    model.Remove(key);
                }
            }

            var reopened = new ObjectStore(new DataDirectory(directory.Path), time);
            await reopened.InitializeAsync(CancellationToken.None);
            foreach (var kind in new[] { BoundObjectKinds.Secret, BoundObjectKinds.Node, BoundObjectKinds.ServiceAccount })
            {
                foreach (var ns in kind == BoundObjectKinds.Node ? new string?[] { null } : ["default", "other"])
                {
                    var expected = model.Values.Where(o => o.Kind == kind && o.Namespace == ns).OrderBy(o => o.Name, StringComparer.Ordinal);
                    Assert.Equal(expected, await reopened.ListAsync(kind, ns, CancellationToken.None));
                }
            }

            return true;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
