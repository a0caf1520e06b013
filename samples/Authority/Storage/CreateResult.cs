namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>The outcome of <see cref="ObjectStore.CreateAsync"/> and, when created, the stored object.</summary>
internal readonly record struct CreateResult(CreateOutcome Outcome, StoredObject? Object);
