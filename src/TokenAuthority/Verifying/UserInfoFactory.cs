using TokenAuthority.Identity;
using TokenAuthority.Model;

namespace TokenAuthority.Verifying;

/// <summary>
/// Names of a service account's user (spec §3.2). The user itself comes from <see cref="ServiceAccountIdentity"/>
/// (<see cref="TokenVerificationResult.Identity"/>, <see cref="ServiceAccountIdentity.ToUserInfo"/>); the constants are
/// those of <see cref="ServiceAccountUserInfo"/>.
/// </summary>
public static class UserInfoFactory
{
    /// <summary>The group every service account is in.</summary>
    public const string AllServiceAccountsGroup = ServiceAccountUserInfo.AllServiceAccountsGroup;

    /// <summary>The group the API server adds to every authenticated request.</summary>
    public const string AuthenticatedGroup = ServiceAccountUserInfo.AuthenticatedGroup;

    /// <summary>Extra key: bound pod name.</summary>
    public const string PodNameExtra = ServiceAccountUserInfo.PodNameExtra;

    /// <summary>Extra key: bound pod uid.</summary>
    public const string PodUidExtra = ServiceAccountUserInfo.PodUidExtra;

    /// <summary>Extra key: node name (node-bound, or the bound pod's node).</summary>
    public const string NodeNameExtra = ServiceAccountUserInfo.NodeNameExtra;

    /// <summary>Extra key: node uid.</summary>
    public const string NodeUidExtra = ServiceAccountUserInfo.NodeUidExtra;

    /// <summary>Extra key: <c>JTI=&lt;jti&gt;</c>.</summary>
    public const string CredentialIdExtra = ServiceAccountUserInfo.CredentialIdExtra;

    /// <summary>The username of a service account: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public static string Username(string @namespace, string name) => ServiceAccountUserInfo.Username(@namespace, name);

    /// <summary>
    /// The user with <c>system:authenticated</c> appended unless it is already there, as the API server's
    /// authenticated-group adder does.
    /// </summary>
    public static UserInfo WithAuthenticatedGroup(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var groups = user.Groups ?? [];
        return groups.Contains(AuthenticatedGroup, StringComparer.Ordinal) ? user : user with { Groups = [.. groups, AuthenticatedGroup] };
    }
}
