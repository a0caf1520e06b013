using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>Source-generated JSON metadata for the objects API: compact, case-sensitive, as Kubernetes.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(KubeObject))]
[JsonSerializable(typeof(KubeObjectList))]
[JsonSerializable(typeof(TokenAuthority.Model.Status))]
internal sealed partial class ObjectsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context used for responses: quotes and apostrophes unescaped, as kube-apiserver writes them. Safe because
    /// every response is <c>application/json</c> with <c>X-Content-Type-Options: nosniff</c>, never embedded in HTML.
    /// </summary>
    public static ObjectsJsonContext Relaxed { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
