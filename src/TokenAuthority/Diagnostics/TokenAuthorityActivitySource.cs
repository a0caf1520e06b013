using System.Diagnostics;

namespace TokenAuthority.Diagnostics;

/// <summary>The <see cref="ActivitySource"/> that traces issuing and verification.</summary>
public static class TokenAuthorityActivitySource
{
    /// <summary>The source name to listen to.</summary>
    public const string Name = "TokenAuthority";

    internal static readonly ActivitySource Source = new(Name);
}
