namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>The authorization policies of the BuildServer.</summary>
internal static class BuildServerPolicies
{
    /// <summary>The admin token: creates and completes jobs, calls TokenRequest and TokenReview.</summary>
    public const string Admin = "admin";
}
