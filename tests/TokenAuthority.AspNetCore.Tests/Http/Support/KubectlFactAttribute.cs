namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>A fact that reports itself skipped, with the reason, on a machine without kubectl.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
