namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>The state of a job.</summary>
internal enum JobState
{
    /// <summary>The job runs: its tokens are accepted.</summary>
    Running,

    /// <summary>The job has ended: to the token authority it no longer exists, and its tokens are refused.</summary>
    Completed,
}
