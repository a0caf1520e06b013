namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>The authorization policies of the BuildServer.</summary>
internal static class BuildServerPolicies
{
    /// <summary>The admin token: creates and completes jobs, calls TokenRequest and TokenReview.</summary>
    public const string Admin = "admin";

    /// <summary>A token of audience <c>artifacts</c> bound to a running job, any job: reads artifacts.</summary>
    public const string JobToken = "job-token";

    /// <summary>A token of audience <c>artifacts</c> bound to the running job named in the path: writes its artifacts.</summary>
    public const string OwnJob = "own-job";
}
