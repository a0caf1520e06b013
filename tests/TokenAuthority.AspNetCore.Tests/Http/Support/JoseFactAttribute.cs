namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>
/// A fact that reports itself skipped, with the reason, when node is missing or the jose package is missing and
/// cannot be installed (no npm, or <c>npm ci</c> failed); see <see cref="JoseInterop.MissingReason"/>.
/// </summary>
public sealed class JoseFactAttribute : FactAttribute
{
    public JoseFactAttribute()
    {
        if (JoseInterop.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
