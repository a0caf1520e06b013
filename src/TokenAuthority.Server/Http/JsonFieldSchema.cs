using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>
/// The JSON field names of a wire type, for kube-apiserver's field validation (<c>unknown field "spec.foo"</c>).
/// A field mapped to null holds a value whose inside is not checked (maps, lists of objects, scalars).
/// </summary>
internal sealed class JsonFieldSchema(IReadOnlyDictionary<string, JsonFieldSchema?> fields)
{
    private static readonly JsonFieldSchema ObjectMeta = Leaves(
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    /// <summary><c>authentication.k8s.io/v1 TokenRequest</c>.</summary>
    public static JsonFieldSchema TokenRequest { get; } = new(new Dictionary<string, JsonFieldSchema?>(StringComparer.Ordinal)
    {
        ["kind"] = null,
        ["apiVersion"] = null,
        ["metadata"] = ObjectMeta,
        ["spec"] = new(new Dictionary<string, JsonFieldSchema?>(StringComparer.Ordinal)
        {
            ["audiences"] = null,
            ["expirationSeconds"] = null,
            ["boundObjectRef"] = Leaves("kind", "apiVersion", "name", "uid"),
        }),
        ["status"] = Leaves("token", "expirationTimestamp"),
    });

    /// <summary><c>authentication.k8s.io/v1 TokenReview</c>.</summary>
    public static JsonFieldSchema TokenReview { get; } = new(new Dictionary<string, JsonFieldSchema?>(StringComparer.Ordinal)
    {
        ["kind"] = null,
        ["apiVersion"] = null,
        ["metadata"] = ObjectMeta,
        ["spec"] = Leaves("token", "audiences"),
        ["status"] = new(new Dictionary<string, JsonFieldSchema?>(StringComparer.Ordinal)
        {
            ["authenticated"] = null,
            ["user"] = Leaves("username", "uid", "groups", "extra"),
            ["audiences"] = null,
            ["error"] = null,
        }),
    });

    /// <summary>Whether <paramref name="name"/> is a field, and the schema of its value when that is checked too.</summary>
    public bool TryGetField(string name, out JsonFieldSchema? value) => fields.TryGetValue(name, out value);

    private static JsonFieldSchema Leaves(params string[] names) =>
        new(names.ToDictionary(n => n, _ => (JsonFieldSchema?)null, StringComparer.Ordinal));
}
