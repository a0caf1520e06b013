namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>A fact that reports itself skipped, with the reason, when node or the jose package is missing.</summary>
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
