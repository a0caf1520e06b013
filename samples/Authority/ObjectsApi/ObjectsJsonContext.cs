using System.Text.Json.Serialization;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>Source-generated JSON metadata for the objects API: compact, case-sensitive, as Kubernetes.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(KubeObject))]
[JsonSerializable(typeof(KubeObjectList))]
internal sealed partial class ObjectsJsonContext : JsonSerializerContext
{
}
