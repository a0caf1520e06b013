namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>The outcome of <see cref="ArtifactStore.PutAsync"/> and, when stored, the artifact.</summary>
internal readonly record struct PutResult(PutOutcome Outcome, ArtifactInfo? Artifact);
