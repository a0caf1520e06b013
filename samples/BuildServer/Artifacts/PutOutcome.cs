namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>What happened to an upload.</summary>
internal enum PutOutcome
{
    /// <summary>A new artifact was stored.</summary>
    Created,

    /// <summary>An artifact of that name was replaced.</summary>
    Replaced,

    /// <summary>The job completed after its token was checked; nothing was stored.</summary>
    JobNotRunning,
}
