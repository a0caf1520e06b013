using System.Text.Json.Serialization;

namespace TokenAuthority.Model;

/// <summary>
/// Source-generated System.Text.Json metadata for the wire model. Compact output, field order as
/// declared (which is the Kubernetes struct order), case-sensitive names, explicit <c>null</c>s accepted.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    PropertyNameCaseInsensitive = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(Status))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
