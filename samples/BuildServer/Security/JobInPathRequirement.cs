using Microsoft.AspNetCore.Authorization;

namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>The caller's token is bound to the job named by the route value <c>{job}</c>.</summary>
internal sealed class JobInPathRequirement : IAuthorizationRequirement
{
    /// <summary>The route value that names the job.</summary>
    public const string RouteValue = "job";
}
