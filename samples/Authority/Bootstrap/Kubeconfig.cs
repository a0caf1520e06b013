using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TokenAuthority.Samples.Authority.Bootstrap;

/// <summary>Renders the kubeconfig (kubectl reads JSON as well as YAML) that points kubectl at this Authority.</summary>
internal static class Kubeconfig
{
    /// <summary>The cluster, user and context name used in the file.</summary>
    public const string Name = "token-authority";

    /// <summary>Renders a kubeconfig for <paramref name="server"/>, trusting <paramref name="certificatePem"/>, as the admin.</summary>
    public static string Render(Uri server, string certificatePem, string adminToken)
    {
        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["name"] = Name,
                ["cluster"] = new JsonObject
                {
                    ["server"] = server.GetLeftPart(UriPartial.Authority),
                    ["certificate-authority-data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificatePem)),
                },
            }),
            ["users"] = new JsonArray(new JsonObject
            {
                ["name"] = Name + "-admin",
                ["user"] = new JsonObject { ["token"] = adminToken },
            }),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = Name,
                ["context"] = new JsonObject { ["cluster"] = Name, ["user"] = Name + "-admin", ["namespace"] = "default" },
            }),
            ["current-context"] = Name,
            ["preferences"] = new JsonObject(),
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
