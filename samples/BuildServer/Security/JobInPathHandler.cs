using Microsoft.AspNetCore.Authorization;
using TokenAuthority.Samples.BuildServer.Jobs;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.BuildServer.Security;

/// <summary>
/// Meets <see cref="JobInPathRequirement"/> when the principal's bound object is the job in the path. It reads the
/// claims the TokenAuthority scheme put on the principal (<see cref="TokenAuthorityClaimTypes"/>), which exist only for
/// a verified token: the verifier has already checked that a job of that name is running with the token's uid. Names
/// are compared exactly; job names are never reused, so the name alone identifies the job.
/// </summary>
internal sealed class JobInPathHandler : AuthorizationHandler<JobInPathRequirement, HttpContext>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, JobInPathRequirement requirement, HttpContext resource)
    {
        if (resource.GetRouteValue(JobInPathRequirement.RouteValue) is string job
            && context.User.HasClaim(TokenAuthorityClaimTypes.BoundObjectKind, JobBinding.Kind)
            && context.User.HasClaim(TokenAuthorityClaimTypes.BoundObjectName, job))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
