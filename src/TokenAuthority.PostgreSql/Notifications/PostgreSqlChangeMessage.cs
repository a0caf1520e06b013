using TokenAuthority.Binding;

namespace TokenAuthority.PostgreSql.Notifications;

/// <summary>
/// The payload of a change notification: <c>o</c>, kind, namespace (empty when cluster-scoped) and name separated by
/// line feeds (none of them can hold one) for an object; <c>r</c> for the key ring.
/// </summary>
internal static class PostgreSqlChangeMessage
{
    public const string Ring = "r";

    public static string ForObject(BoundObjectKey key) => $"o\n{key.Kind}\n{key.Namespace}\n{key.Name}";

    public static bool TryParseObject(string payload, out BoundObjectKey key)
    {
        var parts = payload.Split('\n');
        if (parts.Length == 4 && parts[0] == "o" && parts[1].Length > 0 && parts[3].Length > 0)
        {
            key = new BoundObjectKey(parts[1], parts[2].Length == 0 ? null : parts[2], parts[3]);
            return true;
        }

        key = default;
        return false;
    }
}
