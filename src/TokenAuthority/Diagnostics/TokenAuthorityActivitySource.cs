using System.Diagnostics;
using TokenAuthority.Issuing;
using TokenAuthority.Verifying;

namespace TokenAuthority.Diagnostics;

/// <summary>The <see cref="ActivitySource"/> that traces issuing and verification.</summary>
/// <remarks>
/// Activities <c>TokenAuthority.Issue</c> and <c>TokenAuthority.Verify</c> carry the namespace, service account, result,
/// <c>error.type</c> and credential id (<c>JTI=&lt;jti&gt;</c>, as Kubernetes logs it); never a token or key material.
/// </remarks>
public static class TokenAuthorityActivitySource
{
    /// <summary>The source name to listen to.</summary>
    public const string Name = "TokenAuthority";

    internal const string IssueActivity = "TokenAuthority.Issue";
    internal const string VerifyActivity = "TokenAuthority.Verify";
    internal const string NamespaceTag = "k8s.namespace.name";
    internal const string ServiceAccountTag = "tokenauthority.serviceaccount";
    internal const string CredentialIdTag = "tokenauthority.credential_id";

    internal static readonly ActivitySource Source = new(Name);

    internal static Activity? StartIssue(string namespaceName, string name)
    {
        var activity = Source.StartActivity(IssueActivity);
        activity?.SetTag(NamespaceTag, namespaceName);
        activity?.SetTag(ServiceAccountTag, name);
        return activity;
    }

    internal static Activity? StartVerify() => Source.StartActivity(VerifyActivity);

    internal static void Issued(Activity? activity, TokenRequestResult result)
    {
        if (activity is null)
        {
            return;
        }

        if (result.Succeeded)
        {
            activity.SetTag(TokenAuthorityMetrics.ResultTag, "success");
            activity.SetTag(CredentialIdTag, result.CredentialId);
            return;
        }

        activity.SetTag(TokenAuthorityMetrics.ResultTag, "failure");
        activity.SetTag(TokenAuthorityMetrics.ErrorTypeTag, result.Error.Reason);
        activity.SetStatus(ActivityStatusCode.Error, result.Error.Message);
    }

    internal static void Verified(Activity? activity, TokenVerificationResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TokenAuthorityMetrics.ResultTag, TokenAuthorityMetrics.ResultOf(result.Failure));
        if (result.Claims is { } claims)
        {
            // Read from verified claims only: a token that did not verify names nothing worth believing.
            activity.SetTag(NamespaceTag, claims.Namespace);
            activity.SetTag(ServiceAccountTag, claims.ServiceAccount.Name);
            if (!string.IsNullOrEmpty(claims.Id))
            {
                activity.SetTag(CredentialIdTag, "JTI=" + claims.Id);
            }
        }

        if (!result.Succeeded)
        {
            activity.SetTag(TokenAuthorityMetrics.ErrorTypeTag, TokenAuthorityMetrics.ErrorType(result.Failure));
            activity.SetStatus(ActivityStatusCode.Error, result.Error);
        }
    }
}
