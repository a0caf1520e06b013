using Microsoft.AspNetCore.Authorization;

namespace TokenAuthority.Samples.Authority.Security;

/// <summary>The objects API's authorization requirement, decided per request by <see cref="ObjectsApiAuthorizationHandler"/>.</summary>
internal sealed class ObjectsApiRequirement : IAuthorizationRequirement
{
    public static ObjectsApiRequirement Instance { get; } = new();

    private ObjectsApiRequirement()
    {
    }
}
