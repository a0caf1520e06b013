using Microsoft.AspNetCore.Authorization;
using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Authority.ObjectsApi;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>
/// Decides a call to the objects API as an RBAC authorizer would, from the endpoint's verb and resource and the route's
/// namespace: the admin token may do everything; a service-account token what <see cref="ServiceAccountAccessRule"/>
/// grants; anyone else nothing. A refusal becomes the API server's 403 in <see cref="ObjectsApiForbidden"/>.
/// </summary>
internal sealed class ObjectsApiAuthorizationHandler(ILogger<ObjectsApiAuthorizationHandler> logger)
    : AuthorizationHandler<ObjectsApiRequirement, HttpContext>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ObjectsApiRequirement requirement, HttpContext resource)
    {
        if (context.User.IsInRole(AdminTokenAuthenticationDefaults.AdminRole))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        // Set only by the service-account scheme, and only for the token this request carries.
        if (resource.GetTokenVerificationResult() is { Succeeded: true, Identity: { } caller }
            && resource.GetEndpoint()?.Metadata.GetMetadata<ObjectsApiAccess>() is { } access)
        {
            var @namespace = access.Resource.Namespaced ? resource.GetRouteValue("namespace") as string : null;
            if (ServiceAccountAccessRule.Allows(caller, access, @namespace))
            {
                context.Succeed(requirement);
            }
            else
            {
                logger.ServiceAccountDenied(caller.Username, access.Verb, access.Resource.Plural, @namespace is null ? "at the cluster scope" : $"in namespace {@namespace}");
            }
        }

        return Task.CompletedTask;
    }
}
