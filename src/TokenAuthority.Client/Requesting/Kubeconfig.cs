using System.Text;
using System.Text.Json;

namespace TokenAuthority.Client;

/// <summary>
/// The part of a kubeconfig (JSON form) a token requester needs: the current context's server, CA and user token.
/// </summary>
internal sealed record Kubeconfig(Uri Server, string? CertificateAuthorityPem, string? Token, string? TokenFile)
{
    public static Kubeconfig Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        string? clusterName = null;
        string? userName = null;
        if (root.TryGetProperty("current-context", out var current) && current.GetString() is { Length: > 0 } contextName)
        {
            var context = Named(root, "contexts", contextName, path).GetProperty("context");
            clusterName = context.TryGetProperty("cluster", out var c) ? c.GetString() : null;
            userName = context.TryGetProperty("user", out var u) ? u.GetString() : null;
        }
        var cluster = (clusterName is null ? First(root, "clusters", path) : Named(root, "clusters", clusterName, path)).GetProperty("cluster");
        var server = cluster.TryGetProperty("server", out var s) && Uri.TryCreate(s.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"The kubeconfig '{path}' names no absolute cluster server URL.");
        string? caPem = null;
        if (cluster.TryGetProperty("certificate-authority-data", out var caData) && caData.GetString() is { Length: > 0 } b64)
        {
            caPem = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
        }
        else if (cluster.TryGetProperty("certificate-authority", out var caFile) && caFile.GetString() is { Length: > 0 } caPath)
        {
            caPem = File.ReadAllText(Path.IsPathRooted(caPath) ? caPath : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, caPath));
        }
        var hasUsers = root.TryGetProperty("users", out var users) && users.GetArrayLength() > 0;
        string? token = null;
        string? tokenFile = null;
        if (hasUsers)
        {
            var user = (userName is null ? First(root, "users", path) : Named(root, "users", userName, path)).GetProperty("user");
            token = user.TryGetProperty("token", out var t) ? t.GetString() : null;
            tokenFile = user.TryGetProperty("tokenFile", out var tf) ? tf.GetString() : null;
        }
        return new Kubeconfig(server, caPem, token, tokenFile);
    }

    private static JsonElement First(JsonElement root, string list, string path)
        => root.TryGetProperty(list, out var items) && items.GetArrayLength() > 0
            ? items[0]
            : throw new InvalidOperationException($"The kubeconfig '{path}' has no {list}.");

    private static JsonElement Named(JsonElement root, string list, string name, string path)
    {
        if (root.TryGetProperty(list, out var items))
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var n) && n.GetString() == name)
                {
                    return item;
                }
            }
        }
        throw new InvalidOperationException($"The kubeconfig '{path}' has no entry '{name}' in {list}.");
    }
}
