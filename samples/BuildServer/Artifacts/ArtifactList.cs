namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>The artifacts of a job, ordered by name (<c>GET /artifacts/{job}</c>).</summary>
internal sealed record ArtifactList(string Job, IReadOnlyList<ArtifactInfo> Items);
