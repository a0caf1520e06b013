using System.Globalization;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>A parsed <c>vMAJOR.MINOR.PATCH[-suffix]</c> Kubernetes version, as <c>/version</c> reports it.</summary>
internal sealed record KubernetesVersionInfo(string Major, string Minor, string GitVersion)
{
    /// <summary>Parses a gitVersion such as <c>v1.33.0</c>; null when it is not one.</summary>
    public static KubernetesVersionInfo? TryParse(string? gitVersion)
    {
        if (string.IsNullOrEmpty(gitVersion) || gitVersion[0] != 'v')
        {
            return null;
        }

        var core = gitVersion[1..];
        var suffix = core.IndexOfAny(['-', '+']);
        if (suffix >= 0)
        {
            core = core[..suffix];
        }

        var parts = core.Split('.');
        if (parts.Length != 3 || !parts.All(IsNumber))
        {
            return null;
        }

        return new KubernetesVersionInfo(
            int.Parse(parts[0], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            gitVersion);
    }

    private static bool IsNumber(string s) =>
        s.Length is > 0 and <= 6 && s.All(char.IsAsciiDigit);
}
