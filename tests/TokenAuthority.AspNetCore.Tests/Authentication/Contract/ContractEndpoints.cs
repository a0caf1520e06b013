using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// The endpoints every contract app maps, whatever scheme it authenticates with: <c>/contract/caller</c> (any
/// authenticated caller) describes the principal and asks the same policies and roles of it; <c>/contract/pods-only</c>
/// carries the <c>RequireBoundObjectKind("Pod")</c> convention. Every refusal says its failure in <see cref="FailureHeader"/>.
/// </summary>
public static class ContractEndpoints
{
    /// <summary>The response header naming the <c>TokenVerificationFailure</c> of a refused request.</summary>
    public const string FailureHeader = "X-Contract-Failure";

    /// <summary>The roles asked of every caller.</summary>
    public static readonly string[] Roles =
        ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated", "system:serviceaccounts:kube-system", "system:masters"];

    /// <summary>The policies asked of every caller, built by the library's policy helpers.</summary>
    public static readonly IReadOnlyDictionary<string, AuthorizationPolicy> Policies = new Dictionary<string, AuthorizationPolicy>
    {
        ["service account default/builder"] = new AuthorizationPolicyBuilder().RequireServiceAccount("default", "builder").Build(),
        ["service account default/other"] = new AuthorizationPolicyBuilder().RequireServiceAccount("default", "other").Build(),
        ["service account kube-system/builder"] = new AuthorizationPolicyBuilder().RequireServiceAccount("kube-system", "builder").Build(),
        ["namespace default"] = new AuthorizationPolicyBuilder().RequireNamespace("default").Build(),
        ["namespace kube-system"] = new AuthorizationPolicyBuilder().RequireNamespace("kube-system").Build(),
        ["bound to Pod"] = new AuthorizationPolicyBuilder().RequireBoundObjectKind("Pod").Build(),
        ["bound to Secret"] = new AuthorizationPolicyBuilder().RequireBoundObjectKind("Secret").Build(),
        ["bound to Node"] = new AuthorizationPolicyBuilder().RequireBoundObjectKind("Node").Build(),
        ["bound to Workflow"] = new AuthorizationPolicyBuilder().RequireBoundObjectKind("Workflow").Build(),
    };

    public static void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.GetTokenVerificationResult() is { Succeeded: false } refused)
                {
                    context.Response.Headers[FailureHeader] = refused.Failure.ToString();
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/contract/caller", (Delegate)DescribeAsync).RequireAuthorization();
        app.MapGet("/contract/pods-only", () => "ok").RequireBoundObjectKind("Pod");
    }

    private static async Task<IResult> DescribeAsync(HttpContext context)
    {
        var user = context.User;
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var policies = new Dictionary<string, bool>();
        foreach (var (name, policy) in Policies)
        {
            policies[name] = (await authorization.AuthorizeAsync(user, policy)).Succeeded;
        }

        var result = context.GetTokenVerificationResult();
        var identity = result?.Identity;
        return Results.Json(new ContractCaller
        {
            Name = user.Identity?.Name,
            Claims = [.. user.Claims.Select(c => new[] { c.Type, c.Value })],
            ClaimIssuers = [.. user.Claims.Select(c => c.Issuer).Distinct()],
            Roles = Roles.ToDictionary(r => r, user.IsInRole),
            Policies = policies,
            Outcome = result?.Outcome.ToString(),
            Username = identity?.Username,
            BoundObject = identity?.BoundObject,
            Node = identity?.Node,
            CredentialId = identity?.CredentialId,
            Audiences = [.. identity?.Audiences ?? []],
            User = identity is null ? null : JsonSerializer.Serialize(identity.ToUserInfo(), KubernetesJsonContext.Default.UserInfo),
        });
    }
}
