namespace TokenAuthority.Samples.Authority.Storage;

/// <summary>What happened to an insert.</summary>
internal enum CreateOutcome
{
    /// <summary>The object was stored.</summary>
    Created,

    /// <summary>An object of that kind, namespace and name already exists; nothing was changed.</summary>
    AlreadyExists,

    /// <summary>A pod names a service account that does not exist in its namespace; nothing was changed.</summary>
    ServiceAccountNotFound,
}
