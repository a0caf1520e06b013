using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>What is known about a stored artifact (without its content).</summary>
/// <param name="Job">The job that uploaded it.</param>
/// <param name="Name">Its name.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">The SHA-256 of its content, lower-case hex.</param>
/// <param name="CreatedAt">When it was last written.</param>
internal sealed record ArtifactInfo(
    string Job,
    string Name,
    long Size,
    string Sha256,
    [property: JsonConverter(typeof(KubernetesTimeConverter))] DateTimeOffset? CreatedAt);
